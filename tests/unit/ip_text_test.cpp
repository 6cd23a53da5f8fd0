// The direct IPv6 formatting of the hba parser writes what inet_ntop writes.
#include <array>
#include <cstring>
#include <random>
#include <string>

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "parse/auth_common.hpp"

namespace {

std::string ntop(const std::array<unsigned char, 16>& a) {
  char buf[INET6_ADDRSTRLEN];
  EXPECT_NE(::inet_ntop(AF_INET6, a.data(), buf, sizeof buf), nullptr);
  return buf;
}

void expect_same(const std::array<unsigned char, 16>& a) {
  char buf[INET6_ADDRSTRLEN];
  const std::size_t n = pgl::parse::auth::format_ipv6(a.data(), buf);
  bool first_five_zero = true;
  for (int i = 0; i < 10; ++i) {
    first_five_zero = first_five_zero && a[static_cast<std::size_t>(i)] == 0;
  }
  if (first_five_zero) {
    EXPECT_EQ(n, 0U);  // left to inet_ntop (embedded IPv4 forms)
    return;
  }
  ASSERT_NE(n, 0U);
  EXPECT_EQ(std::string(buf, n), ntop(a));
  EXPECT_EQ(std::strlen(buf), n);
}

TEST(Ipv6Text, SameAsInetNtopForEveryZeroGroupPattern) {
  // Each of the 256 patterns of zero / non-zero groups, with several non-zero values.
  const unsigned values[] = {0x1, 0xa, 0xff, 0x100, 0xabc, 0xffff, 0x1000};
  for (unsigned mask = 0; mask < 256; ++mask) {
    for (unsigned v : values) {
      std::array<unsigned char, 16> a{};
      for (int g = 0; g < 8; ++g) {
        if (mask & (1U << g)) {
          const unsigned w = v + static_cast<unsigned>(g);
          const std::size_t at = 2 * static_cast<std::size_t>(g);
          a[at] = static_cast<unsigned char>(w >> 8);
          a[at + 1] = static_cast<unsigned char>(w & 0xff);
        }
      }
      expect_same(a);
    }
  }
}

TEST(Ipv6Text, SameAsInetNtopForRandomAddresses) {
  std::mt19937 rnd(7);
  for (int i = 0; i < 20000; ++i) {
    std::array<unsigned char, 16> a{};
    for (auto& b : a) {
      b = static_cast<unsigned char>(rnd() % 4 == 0 ? 0 : rnd());
    }
    expect_same(a);
  }
}

TEST(Ipv6Text, KnownTexts) {
  std::array<unsigned char, 16> a{};
  ASSERT_EQ(::inet_pton(AF_INET6, "2001:db8::1", a.data()), 1);
  char buf[INET6_ADDRSTRLEN];
  ASSERT_NE(pgl::parse::auth::format_ipv6(a.data(), buf), 0U);
  EXPECT_STREQ(buf, "2001:db8::1");
  ASSERT_EQ(::inet_pton(AF_INET6, "fe80:0:0:1::", a.data()), 1);
  ASSERT_NE(pgl::parse::auth::format_ipv6(a.data(), buf), 0U);
  EXPECT_STREQ(buf, "fe80:0:0:1::");
  ASSERT_EQ(::inet_pton(AF_INET6, "::ffff:10.0.0.1", a.data()), 1);
  EXPECT_EQ(pgl::parse::auth::format_ipv6(a.data(), buf), 0U);
}

// The IPv4 reading of the hba parser accepts and rejects what inet_pton(AF_INET) does.
void expect_same_ipv4(const std::string& text) {
  unsigned char ours[4] = {1, 2, 3, 4};
  unsigned char theirs[4] = {0, 0, 0, 0};
  const bool ok = pgl::parse::auth::parse_ipv4(text, ours);
  const bool libc_ok = ::inet_pton(AF_INET, text.c_str(), theirs) == 1;
  ASSERT_EQ(ok, libc_ok) << '"' << text << '"';
  if (ok) {
    EXPECT_EQ(std::memcmp(ours, theirs, 4), 0) << text;
    // An accepted text is the address's own text (the parser keeps it as inet_ntop's).
    char buf[INET_ADDRSTRLEN];
    ASSERT_NE(::inet_ntop(AF_INET, ours, buf, sizeof buf), nullptr);
    EXPECT_EQ(std::string(buf), text);
  } else {
    EXPECT_EQ(ours[0], 1) << text;  // left unchanged
  }
}

TEST(Ipv4Text, SameAsInetPtonForEdgeCases) {
  for (const char* t : {"",
                        ".",
                        "1",
                        "1.2",
                        "1.2.3",
                        "1.2.3.4",
                        "1.2.3.4.",
                        ".1.2.3.4",
                        "1.2.3.4.5",
                        "0.0.0.0",
                        "255.255.255.255",
                        "256.1.1.1",
                        "1.1.1.256",
                        "01.1.1.1",
                        "1.1.1.01",
                        "1.1.1.00",
                        "00.0.0.0",
                        "1..2.3",
                        "1.2..3.4",
                        "1.2.3.4 ",
                        " 1.2.3.4",
                        "1.2.3.4/24",
                        "0x1.2.3.4",
                        "1.2.3.-4",
                        "+1.2.3.4",
                        "1000.1.1.1",
                        "10.0.0.0",
                        "192.168.001.1",
                        "127.0.0.1",
                        "1.2.3.4a",
                        "999.999.999.999",
                        "4294967295",
                        "1.2.3.25x"}) {
    expect_same_ipv4(t);
  }
}

TEST(Ipv4Text, SameAsInetPtonForRandomTexts) {
  std::mt19937 rnd(11);
  const char alphabet[] = "0123456789....x ";
  for (int i = 0; i < 200000; ++i) {
    std::string t;
    const std::size_t n = rnd() % 17;
    for (std::size_t k = 0; k < n; ++k) {
      t += alphabet[rnd() % (sizeof alphabet - 1)];
    }
    expect_same_ipv4(t);
  }
  // Well-formed addresses, every part 0-255 (and some past it).
  for (int i = 0; i < 20000; ++i) {
    std::string t;
    for (int p = 0; p < 4; ++p) {
      t += (p ? "." : "") + std::to_string(rnd() % 270);
    }
    expect_same_ipv4(t);
  }
}

}  // namespace
