// The one-loop token rule of the hba tokenizer matches exactly what its definition
// (one or more quoted pieces and plain runs) matches.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "grammar/hba_grammar.hpp"

namespace {

namespace pegtl = pgl::grammar::pegtl;
namespace g = pgl::grammar::hba;

template <typename Rule>
long match_length(const std::string& text) {
  pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.size(), "t");
  if (!pegtl::parse<Rule>(in)) {
    return -1;
  }
  return static_cast<long>(in.current() - text.data());
}

TEST(HbaTokenRule, SameMatchAsItsDefinition) {
  const std::string alphabet = "ab\"\" ,#\t\r\\@/x";
  std::mt19937 rnd(11);
  for (int i = 0; i < 50000; ++i) {
    std::string s;
    const int len = static_cast<int>(rnd() % 12);
    for (int k = 0; k < len; ++k) {
      s += alphabet[rnd() % alphabet.size()];
    }
    ASSERT_EQ(match_length<g::token>(s), match_length<g::token_pieces>(s)) << "input: [" << s << "]";
  }
  for (const char* s : {"", "\"", "\"\"", "\"\"\"", "a\"b c\"d e", "\"a\"\"b\"", "x\"", "\"unterminated, #x"}) {
    EXPECT_EQ(match_length<g::token>(s), match_length<g::token_pieces>(s)) << s;
  }
}

}  // namespace
