// Placeholder until the conf parser lands.
#include "parse/parse.hpp"

namespace pgl::parse {
Result<model::ConfSet> parse_conf(const std::string& main_file, const ConfParseOptions&, core::SourceSet&) {
  return fail("conf parser not implemented: " + main_file);
}
}  // namespace pgl::parse
