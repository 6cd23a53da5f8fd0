// Placeholder until the hba/ident parser lands.
#include "parse/parse.hpp"

namespace pgl::parse {
model::HbaFile parse_hba(const std::string& path, const AuthParseOptions&, core::SourceSet&) {
  model::HbaFile f;
  f.path = path;
  f.file_error = "hba parser not implemented";
  return f;
}
model::IdentFile parse_ident(const std::string& path, const AuthParseOptions&, core::SourceSet&) {
  model::IdentFile f;
  f.path = path;
  f.file_error = "ident parser not implemented";
  return f;
}
}  // namespace pgl::parse
