#pragma once

#include <string>
#include <vector>

namespace pgl::cli {
int dump_hba(const std::vector<std::string>& args);    // src/cli/dump_auth.cpp
int dump_ident(const std::vector<std::string>& args);  // src/cli/dump_auth.cpp
int dump_conf(const std::vector<std::string>& args);   // src/cli/dump_conf.cpp
int dump_value(const std::vector<std::string>& args);  // src/cli/dump_value.cpp
}  // namespace pgl::cli
