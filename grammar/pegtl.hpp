// The single PEGTL include of the project (PEGTL 3.2.7 API). Only grammar/ headers and
// src/parse/*.cpp include this file.
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

namespace pgl::grammar {
namespace pegtl = tao::pegtl;
}  // namespace pgl::grammar
