// Addresses as the hba rules show them: model::IpNet's text and rules/hba/hba_util.hpp's
// display_net.
#include "rules/hba/hba_util.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

namespace {

using pgl::model::IpNet;

std::string ntop(const IpNet& n) {
  char buf[INET6_ADDRSTRLEN] = {};
  EXPECT_NE(inet_ntop(n.family == 4 ? AF_INET : AF_INET6, n.bytes.data(), buf, sizeof buf), nullptr);
  return buf;
}

// IpNet::address writes IPv4 itself: the same text as inet_ntop for every octet value in
// every place.
TEST(HbaUtil, IpNetAddressIsInetNtopText) {
  for (int v = 0; v < 256; ++v) {
    for (std::size_t place = 0; place < 4; ++place) {
      IpNet n;
      n.family = 4;
      n.prefix = 32;
      n.bytes = {10, 0, 100, 9};
      n.bytes[place] = static_cast<std::uint8_t>(v);
      EXPECT_EQ(n.address(), ntop(n)) << v << " at " << place;
      EXPECT_EQ(n.to_string(), ntop(n) + "/32") << v << " at " << place;
    }
  }
  IpNet v6;
  v6.family = 6;
  v6.prefix = 128;
  v6.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(v6.address(), "2001:db8::1");
  EXPECT_EQ(v6.to_string(), "2001:db8::1/128");
  IpNet net;
  net.family = 4;
  net.prefix = 24;
  net.bytes = {192, 168, 1, 22};
  EXPECT_EQ(pgl::rules::hba::display_net(net), "192.168.1.0/24");
}

}  // namespace
