// The single PEGTL include of the project (PEGTL 3.2.7 API). Only grammar/ headers and
// src/parse/*.cpp include this file.
#pragma once

#include <cstddef>
#include <cstring>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

namespace pgl::grammar {
namespace pegtl = tao::pegtl;

// Bytes up to (not including) the first `Stop` byte or the end of the input; always
// succeeds. The same language as star<not_one<Stop>>, matched with one memchr instead of
// one rule per byte. With position tracking, `Stop` must be the end-of-line byte (the
// bytes consumed are all on the current line).
template <char Stop>
struct until_byte {
  using rule_t = until_byte;
  using subs_t = pegtl::empty_list;
  template <typename ParseInput>
  [[nodiscard]] static bool match(ParseInput& in) noexcept {
    const char* p = in.current();
    const auto n = static_cast<std::size_t>(in.end() - p);
    const void* hit = std::memchr(p, Stop, n);
    in.bump_in_this_line(hit == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(hit) - p));
    return true;
  }
};

// One or more bytes that are all among `Bytes` (In = true: plus< one< Bytes... > >) or none
// of them (In = false: plus< not_one< Bytes... > >), in one loop. With position tracking,
// the end-of-line byte must end the run (not among `Bytes` when In, among them otherwise).
template <bool In, char... Bytes>
struct byte_run {
  using rule_t = byte_run;
  using subs_t = pegtl::empty_list;
  template <typename ParseInput>
  [[nodiscard]] static bool match(ParseInput& in) noexcept {
    const char* const begin = in.current();
    const char* const end = in.end();
    const char* p = begin;
    while (p != end && (((*p == Bytes) || ...) == In)) {
      ++p;
    }
    if (p == begin) {
      return false;
    }
    in.bump_in_this_line(static_cast<std::size_t>(p - begin));
    return true;
  }
};
template <char... Bytes>
using run_of = byte_run<true, Bytes...>;
template <char... Stops>
using run_without = byte_run<false, Stops...>;

// The rest of the input; always succeeds (star<any> in one step). Only for inputs without
// line tracking or without line ends.
struct rest_of_input {
  using rule_t = rest_of_input;
  using subs_t = pegtl::empty_list;
  template <typename ParseInput>
  [[nodiscard]] static bool match(ParseInput& in) noexcept {
    in.bump_in_this_line(static_cast<std::size_t>(in.end() - in.current()));
    return true;
  }
};

}  // namespace pgl::grammar

namespace tao::pegtl {
template <typename Name, char Stop>
struct analyze_traits<Name, pgl::grammar::until_byte<Stop>> : analyze_opt_traits<> {};
template <typename Name>
struct analyze_traits<Name, pgl::grammar::rest_of_input> : analyze_opt_traits<> {};
template <typename Name, bool In, char... Bytes>
struct analyze_traits<Name, pgl::grammar::byte_run<In, Bytes...>> : analyze_any_traits<> {};
}  // namespace tao::pegtl
