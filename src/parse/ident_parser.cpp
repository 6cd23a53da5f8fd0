// pg_ident.conf records (hba.c parse_ident_line, hbafuncs.c view).
#include <cerrno>

#include <fmt/format.h>

#include "parse/auth_common.hpp"
#include "parse/auth_regex.hpp"
#include "parse/conf_paths.hpp"
#include "parse/parse.hpp"

namespace pgl::parse {

namespace {

struct IdentFailure {
  std::string message;
  core::Span span;
};

std::optional<IdentFailure> parse_ident_line(const auth::TokLine& tl, int v, model::IdentRecord& rec) {
  const auto& fields = tl.fields;
  auto multi = [&](std::size_t f) -> std::optional<IdentFailure> {
    if (fields[f].size() > 1) {
      return IdentFailure{"multiple values in ident field", fields[f][1].span};
    }
    return std::nullopt;
  };
  auto absent = [&](std::size_t f) -> std::optional<IdentFailure> {
    if (f >= fields.size()) {
      core::Span s = tl.span;
      s.begin.line = s.end_line ? s.end_line : s.begin.line;
      s.begin.column = s.end_column ? s.end_column : 1;
      return IdentFailure{"missing entry at end of line", s};
    }
    return std::nullopt;
  };
  if (auto e = multi(0)) {
    return e;
  }
  rec.map_name = fields[0][0].text;
  rec.map_span = fields[0][0].span;
  if (auto e = absent(1)) {
    return e;
  }
  if (auto e = multi(1)) {
    return e;
  }
  rec.system_user = fields[1][0];
  if (auto e = absent(2)) {
    return e;
  }
  if (auto e = multi(2)) {
    return e;
  }
  rec.pg_user = fields[2][0];
  auto regex = [](const model::AuthToken& t) -> std::optional<IdentFailure> {
    if (t.text.empty() || t.text[0] != '/') {
      return std::nullopt;
    }
    if (auto e = auth::check_regex(std::string_view(t.text).substr(1))) {
      return IdentFailure{fmt::format("invalid regular expression \"{}\": {}", t.text.substr(1), *e), t.span};
    }
    return std::nullopt;
  };
  if (auto e = regex(rec.system_user)) {
    return e;
  }
  if (v >= 16) {
    if (auto e = regex(rec.pg_user)) {
      return e;
    }
  }
  return std::nullopt;
}

}  // namespace

model::IdentFile parse_ident(const std::string& path, const AuthParseOptions& options, core::SourceSet& sources) {
  model::IdentFile file;
  file.path = make_absolute(path);
  const int v = options.pg_version;
  auth::FileRead fr = auth::read_file(file.path, &sources);
  if (fr.refused) {
    file.file_error =
        fmt::format("cannot read \"{}\": {}", file.path, auth::refused_text(*fr.refused, file.path, auth::Context{}));
    file.query_fails = true;
    file.refused = true;
    return file;
  }
  if (!fr.ok || fr.is_directory) {
    file.file_error =
        fmt::format(fmt::runtime(v >= 16 ? "could not open file \"{}\": {}" : "could not open usermap file \"{}\": {}"),
                    file.path, auth::errno_text(fr.ok ? EISDIR : fr.err_no));
    file.query_fails = true;
    return file;
  }
  const core::SourceFile& source = sources.add(file.path, std::move(fr.bytes));
  auth::Context ctx;
  ctx.pg_version = v;
  ctx.sources = &sources;
  ctx.missing_unknown = options.missing_files_unknown;
  std::vector<auth::TokLine> lines;
  lines.reserve(auth::line_count_hint(source.bytes()));
  auth::tokenize_file(source.name(), source.bytes(), 0, ctx, lines);
  if (ctx.query_fails) {
    file.file_error = ctx.query_error;
    file.query_fails = true;
    return file;
  }
  file.missing_files = std::move(ctx.missing_files);
  int map_number = 0;
  file.records.reserve(lines.size());
  for (const auth::TokLine& tl : lines) {
    model::IdentRecord rec;
    rec.file = tl.file;
    rec.line = tl.line;
    rec.span = tl.span;
    if (tl.error) {
      rec.error = tl.error;
    } else if (auto failure = parse_ident_line(tl, v, rec)) {
      rec.error = failure->message;
      rec.span = failure->span;
    }
    if (!rec.error) {
      ++map_number;
      if (v >= 16) {
        rec.map_number = map_number;
      }
    }
    file.records.push_back(std::move(rec));
  }
  return file;
}

}  // namespace pgl::parse
