#include "parse/auth_common.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <sys/stat.h>

#include "core/result.hpp"
#include "core/secrets.hpp"
#include "grammar/hba_actions.hpp"
#include "grammar/hba_errors.hpp"
#include "grammar/hba_grammar.hpp"
#include "parse/conf_paths.hpp"

namespace pgl::parse::auth {

namespace {

struct VectorSink final : LineSink {
  explicit VectorSink(std::vector<TokLine>& v) : out(v) {}
  void operator()(TokLine& line) override { out.push_back(std::move(line)); }
  std::vector<TokLine>& out;
};

constexpr int k_max_depth_16 = 10;                // CONF_FILE_MAX_DEPTH
constexpr std::size_t k_at_recursion_limit = 64;  // 12-15: a loop exhausts file descriptors

}  // namespace

std::string errno_text(int err_no) {
  return std::strerror(err_no);
}

FileRead read_file(const std::string& path, const core::SourceSet* sources) {
  FileRead r;
  if (const core::SourceFile* known = sources != nullptr ? sources->find(path) : nullptr) {
    r.ok = true;
    r.bytes = known->bytes();
    return r;
  }
  auto got = core::read_file(path);
  if (got) {
    r.ok = true;
    r.bytes = std::move(got->bytes);
    return r;
  }
  core::ReadError& e = got.error();
  switch (e.kind) {
    case core::ReadErrorKind::not_found:
    case core::ReadErrorKind::io_error: r.err_no = e.err_no; return r;
    case core::ReadErrorKind::permission: throw Fatal(e.message);
    case core::ReadErrorKind::is_directory:
      r.ok = true;  // the server opens it; its first read fails
      r.is_directory = true;
      r.err_no = EISDIR;
      return r;
    default: r.refused = std::move(e); return r;
  }
}

std::string chain_text(const Context& ctx, const std::string& last) {
  std::string out;
  for (const auto& f : ctx.chain) {
    out += fmt::format("\"{}\" -> ", f);
  }
  out += fmt::format("\"{}\"", last);
  return out;
}

namespace {

[[noreturn]] void budget_spent(const Context& ctx, const std::string& path, const std::string& what) {
  throw Fatal(
      fmt::format("cannot read \"{}\": {} (reached through {}); the limits are far above any real "
                  "configuration (docs/limits.md): look for an @file or include loop",
                  path, what, chain_text(ctx, path)));
}

// One more @file, include or include_dir reference followed, against the run's budget.
void count_reference(const Context& ctx, const std::string& path) {
  auto& b = core::read_budget();
  if (++b.references > b.max_references) {
    budget_spent(ctx, path,
                 fmt::format("more than {} @file and include references followed in this run", b.max_references));
  }
}

void count_tokens(const Context& ctx, const std::string& path, std::size_t n) {
  auto& b = core::read_budget();
  b.tokens += n;
  if (b.tokens > b.max_tokens) {
    budget_spent(ctx, path, fmt::format("more than {} tokens expanded from @files in this run", b.max_tokens));
  }
}

}  // namespace

std::string refused_text(const core::ReadError& e, const std::string& path, const Context& ctx) {
  if (e.kind == core::ReadErrorKind::budget) {
    budget_spent(ctx, path, e.reason);
  }
  const std::string_view behaviour = core::server_behaviour(e.kind);
  return behaviour.empty() ? e.reason : fmt::format("{}; {}", e.reason, behaviour);
}

std::string absolute_location(const std::string& location, const std::string& calling_file, int pg_version) {
  return absolute_config_location(location, calling_file, std::string(), pg_version);
}

core::Location LogicalLine::location(const core::FileName& file, std::size_t offset) const {
  const auto [line, column] = line_column(offset);
  return core::Location{file, line, column};
}

std::pair<std::uint32_t, std::uint32_t> LogicalLine::line_column(std::size_t offset) const {
  // The last segment starting at or before `offset` (offsets never decrease): a binary
  // search, so that the tokens of a line of many continuations cost no walk each.
  auto it = std::upper_bound(segments.begin(), segments.end(), offset,
                             [](std::size_t o, const Segment& s) { return o < s.offset; });
  const Segment* seg = it == segments.begin() ? &segments.front() : &*(it - 1);
  return {seg->line, static_cast<std::uint32_t>(offset - seg->offset + 1)};
}

bool next_line(std::string_view bytes, std::size_t& pos, std::uint32_t& line_number, int pg_version, LogicalLine& l,
               bool may_contain_nul) {
  if (pos >= bytes.size()) {
    return false;
  }
  l.text.clear();
  l.view = {};
  l.segments.clear();
  l.error.reset();
  l.first_line = line_number;
  l.physical_lines = 1;
  if (pg_version <= 13) {
    // Lines of any length, no continuation (12.x and 13.x minor releases since 2022 read
    // with a growing buffer; the 8192-byte fgets() limit of earlier minors is gone: 12.22
    // and 13.23 load a 9000-byte line).
    const std::size_t nl = bytes.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? bytes.size() : nl + 1;
    std::string& chunk = l.text;
    chunk.assign(bytes.substr(pos, end - pos));
    l.segments.push_back({0, line_number});
    const std::size_t nul = may_contain_nul ? chunk.find('\0') : std::string::npos;
    if (nul != std::string::npos) {
      chunk.resize(nul);
    }
    while (!chunk.empty() && (chunk.back() == '\n' || chunk.back() == '\r')) {
      chunk.pop_back();
    }
    l.view = chunk;
    pos = end;
    ++line_number;
    return true;
  }
  if (!may_contain_nul) {
    // A physical line without a continuation is used in place (no copy).
    const std::size_t nl = bytes.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? bytes.size() : nl + 1;
    std::size_t len = end - pos;
    while (len > 0 && (bytes[pos + len - 1] == '\n' || bytes[pos + len - 1] == '\r')) {
      --len;
    }
    if (len == 0 || bytes[pos + len - 1] != '\\') {
      l.segments.push_back({0, line_number});
      l.view = bytes.substr(pos, len);
      pos = end;
      ++line_number;
      return true;
    }
  }
  std::string& buf = l.text;
  std::size_t last_backslash_len = 0;
  std::uint32_t continuations = 0;
  while (pos < bytes.size()) {
    const std::size_t nl = bytes.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? bytes.size() : nl + 1;
    l.segments.push_back({buf.size(), line_number + continuations});
    buf.append(bytes.substr(pos, end - pos));
    pos = end;
    while (!buf.empty() && (buf.back() == '\n' || buf.back() == '\r')) {
      buf.pop_back();
    }
    if (buf.size() > last_backslash_len && buf.back() == '\\') {
      buf.pop_back();
      last_backslash_len = buf.size();
      ++continuations;
      continue;
    }
    break;
  }
  const std::size_t nul = may_contain_nul ? buf.find('\0') : std::string::npos;
  if (nul != std::string::npos) {
    buf.resize(nul);
  }
  l.view = buf;
  l.physical_lines = continuations + 1;
  line_number += continuations + 1;
  return true;
}

std::size_t format_ipv6(const unsigned char* bytes, char* out) {
  unsigned words[8];
  bool leading_zero = true;
  for (std::size_t i = 0; i < 8; ++i) {
    words[i] = (static_cast<unsigned>(bytes[2 * i]) << 8) | bytes[2 * i + 1];
    if (i < 5 && words[i] != 0) {
      leading_zero = false;
    }
  }
  if (leading_zero) {
    return 0;
  }
  // The first longest run of at least two zero groups becomes "::" (inet_ntop6).
  int best_base = -1, best_len = 0, cur_base = -1, cur_len = 0;
  for (int i = 0; i < 8; ++i) {
    if (words[i] == 0) {
      if (cur_base == -1) {
        cur_base = i;
        cur_len = 1;
      } else {
        ++cur_len;
      }
    } else if (cur_base != -1) {
      if (best_base == -1 || cur_len > best_len) {
        best_base = cur_base;
        best_len = cur_len;
      }
      cur_base = -1;
    }
  }
  if (cur_base != -1 && (best_base == -1 || cur_len > best_len)) {
    best_base = cur_base;
    best_len = cur_len;
  }
  if (best_base != -1 && best_len < 2) {
    best_base = -1;
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  char* p = out;
  for (int i = 0; i < 8; ++i) {
    if (best_base != -1 && i >= best_base && i < best_base + best_len) {
      if (i == best_base) {
        *p++ = ':';
      }
      continue;
    }
    if (i != 0) {
      *p++ = ':';
    }
    const unsigned w = words[i];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned d = (w >> shift) & 0xF;
      if (d != 0 || started || shift == 0) {
        *p++ = k_hex[d];
        started = true;
      }
    }
  }
  if (best_base != -1 && best_base + best_len == 8) {
    *p++ = ':';
  }
  *p = '\0';
  return static_cast<std::size_t>(p - out);
}

bool parse_ipv4(std::string_view text, unsigned char* out) {
  // Part by part: inet_pton4 accepts a digit after a part's first digit unless that digit
  // is 0 (a leading zero), a value up to 255 (so at most three digits), and a '.' only
  // after a digit and before the fourth part; anything else fails.
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  unsigned char parts[4];
  const char* p = text.data();
  const char* const end = p + text.size();
  for (int part = 0; part < 4; ++part) {
    if (part != 0) {
      if (p == end || *p != '.') {
        return false;
      }
      ++p;
    }
    if (p == end || !digit(*p)) {
      return false;
    }
    unsigned value = static_cast<unsigned>(*p++ - '0');
    if (p != end && digit(*p)) {
      if (value == 0) {
        return false;  // a leading zero
      }
      value = value * 10 + static_cast<unsigned>(*p++ - '0');
      if (p != end && digit(*p)) {
        value = value * 10 + static_cast<unsigned>(*p++ - '0');
        if (value > 255 || (p != end && digit(*p))) {
          return false;
        }
      }
    }
    parts[part] = static_cast<unsigned char>(value);
  }
  if (p != end) {
    return false;
  }
  std::memcpy(out, parts, 4);
  return true;
}

std::size_t line_count_hint(std::string_view bytes) {
  std::size_t count = 1;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (nl == nullptr) {
      break;
    }
    ++count;
    p = nl + 1;
  }
  return count;
}

std::vector<LogicalLine> split_lines(std::string_view bytes, int pg_version) {
  std::vector<LogicalLine> out;
  std::size_t pos = 0;
  std::uint32_t line_number = 1;
  LogicalLine l;
  while (next_line(bytes, pos, line_number, pg_version, l)) {
    out.push_back(l);
    out.back().text.assign(l.view);
  }
  for (auto& x : out) {
    x.view = x.text;
  }
  return out;
}

namespace {

// MAX_TOKEN 10240 up to 15 (12.22 and 13.23 too: their 256-byte limit was raised in a minor
// release), unlimited from 16.
std::size_t max_token_of(int pg_version) {
  return pg_version <= 15 ? 10239 : 0;
}

// Tokenizes one logical line into state.tokens (cleared first; capacity is reused).
void tokenize_into(std::string_view line, grammar::hba::TokenizeState& state) {
  namespace g = grammar::hba;
  state.count = 0;
  state.base = line.data();
  grammar::pegtl::memory_input<grammar::pegtl::tracking_mode::lazy> in(line.data(), line.size(), "line");
  try {
    grammar::pegtl::parse<g::line, g::action, g::control>(in, state);
  } catch (const grammar::pegtl::parse_error&) {
    // cannot happen (every byte matches a rule); keep what was tokenized
  }
}

}  // namespace

std::vector<RawToken> tokenize_line(std::string_view line, int pg_version) {
  grammar::hba::TokenizeState state;
  state.max_token = max_token_of(pg_version);
  tokenize_into(line, state);
  std::vector<RawToken> out;
  out.reserve(state.count);
  for (std::size_t i = 0; i < state.count; ++i) {
    const grammar::hba::RawToken& t = state.tokens[i];
    out.push_back(RawToken{std::string(t.text()), t.quoted, t.comma, t.too_long, t.begin, t.end});
  }
  return out;
}

namespace {

core::Span token_span(const core::FileName& file, const LogicalLine& l, std::size_t begin, std::size_t end) {
  if (l.segments.size() == 1) {  // one physical line (segment offset 0): no search
    const std::uint32_t line = l.segments.front().line;
    const std::size_t last = end > begin ? end - 1 : begin;
    return core::Span{core::Location{file, line, static_cast<std::uint32_t>(begin + 1)}, line,
                      static_cast<std::uint32_t>(last + 2)};
  }
  const auto [line, column] = l.line_column(begin);
  const auto [end_line, end_column] = l.line_column(end > begin ? end - 1 : begin);
  return core::Span{core::Location{file, line, column}, end_line, end_column + 1};
}

core::Span line_span(const core::FileName& file, const LogicalLine& l) {
  const auto [end_line, end_column] = l.line_column(l.view.empty() ? 0 : l.view.size() - 1);
  return core::Span{core::Location{file, l.first_line, 1}, end_line, l.view.empty() ? 2 : end_column + 1};
}

// read_file() once per path and parse; a successfully read file is registered in the
// source set when first read.
const Context::CachedFile& cached_read(const std::string& full, Context& ctx) {
  auto it = ctx.file_cache.find(full);
  if (it == ctx.file_cache.end()) {
    it = ctx.file_cache.emplace(full, Context::CachedFile{read_file(full, ctx.sources), core::FileName(full)}).first;
    const FileRead& fr = it->second.read;
    if (fr.ok && ctx.sources != nullptr && !fr.is_directory) {
      it->second.name = ctx.sources->add(full, fr.bytes).name();
    }
  }
  return it->second;
}

// Opens an included file (open_auth_file) at `depth`; on failure sets err. On success
// `fr` points to the cached read.
bool open_auth_file(const std::string& full, int depth, Context& ctx, const Context::CachedFile*& fr,
                    std::optional<std::string>& err, int& err_no) {
  err_no = 0;
  if (ctx.pg_version >= 16 && depth > k_max_depth_16) {
    err = fmt::format("could not open file \"{}\": maximum nesting depth exceeded", full);
    // The server returns here without setting errno, and its caller tests errno: what an
    // earlier failed open left there (server quirk, 16.14-18.4 observed: an
    // include_if_exists past the depth limit after a missing file is skipped silently).
    err_no = ctx.last_errno;
    return false;
  }
  fr = &cached_read(full, ctx);
  if (fr->read.refused) {
    err = fmt::format("could not open file \"{}\": {}", full, refused_text(*fr->read.refused, full, ctx));
    return false;
  }
  if (!fr->read.ok) {
    err_no = fr->read.err_no;
    ctx.last_errno = err_no;
    err = fmt::format("could not open file \"{}\": {}", full, errno_text(err_no));
    return false;
  }
  return true;
}

// Reads an opened file's lines; a directory (read error) behaves as the version does.
void tokenize_opened(const core::FileName& full, const FileRead& fr, int depth, Context& ctx, LineSink& out) {
  if (fr.is_directory || fr.err_no != 0) {
    ctx.last_errno = fr.err_no;  // the failed read sets errno
    if (ctx.pg_version <= 13) {
      TokLine tl;
      tl.file = full;
      tl.line = 1;
      tl.error = fmt::format("could not read file \"{}\": {}", full, errno_text(fr.err_no));
      tl.span = core::Span::at(full, 1, 0);
      tl.error_span = tl.span;
      out(tl);
    }
    // 14+: the read error ends tokenization without a line (hba.c breaks out of its loop)
    return;
  }
  tokenize_file(full, fr.bytes, depth, ctx, out);
}

// absolute_location() of an @file name referenced from `outer_file`, computed once per
// parse (the result stays valid: map nodes do not move).
const std::string& at_location(const std::string& inc_name, const std::string& outer_file, Context& ctx) {
  auto outer = ctx.at_locations.find(outer_file);
  if (outer == ctx.at_locations.end()) {
    outer = ctx.at_locations.emplace(outer_file, std::map<std::string, std::string, std::less<>>{}).first;
  }
  auto& names = outer->second;
  auto it = names.find(inc_name);
  if (it == names.end()) {
    it = names.emplace(inc_name, absolute_location(inc_name, outer_file, ctx.pg_version)).first;
  }
  return it->second;
}

// Repository mode: the @file is not in the copy; one token of unknown contents stands for it
// (its span is set by the caller).
void missing_as_unknown(model::AuthField& field, const std::string& full, const std::string& inc_name, Context& ctx) {
  field.push_back(model::AuthToken{"@" + inc_name, false, {}, true});
  if (ctx.missing_seen.insert(full).second) {
    ctx.missing_files.push_back({full, {}});
  }
}

// tokenize_expand_file / tokenize_inc_file: @file inclusion into a field.
void expand_at(model::AuthField& field, const std::string& outer_file, const std::string& inc_name, int depth,
               Context& ctx, std::optional<std::string>& err) {
  ++ctx.nested_reads;
  const std::string& full = at_location(inc_name, outer_file, ctx);
  count_reference(ctx, full);
  const Context::CachedFile* fr = nullptr;
  if (ctx.pg_version <= 15) {
    if (std::find(ctx.at_stack.begin(), ctx.at_stack.end(), full) != ctx.at_stack.end() ||
        ctx.at_stack.size() > k_at_recursion_limit) {
      // The server recurses until it runs out of file descriptors and the query fails.
      if (!ctx.query_fails) {
        ctx.query_fails = true;
        ctx.query_error = fmt::format("exceeded maxAllocatedDescs while trying to open file \"{}\"", full);
      }
      err = ctx.query_error;
      return;
    }
    fr = &cached_read(full, ctx);
    if (!fr->read.ok && ctx.missing_unknown && fr->read.err_no == ENOENT) {
      missing_as_unknown(field, full, inc_name, ctx);
      return;
    }
    if (!fr->read.ok) {
      err = fmt::format("could not open secondary authentication file \"@{}\" as \"{}\": {}", inc_name, full,
                        fr->read.refused ? refused_text(*fr->read.refused, full, ctx) : errno_text(fr->read.err_no));
      return;
    }
  } else if (int err_no = 0; !open_auth_file(full, depth, ctx, fr, err, err_no)) {
    if (ctx.missing_unknown && err_no == ENOENT) {
      err.reset();
      missing_as_unknown(field, full, inc_name, ctx);
    }
    return;
  }
  if (auto known = ctx.expansions.find(full); known != ctx.expansions.end()) {
    count_tokens(ctx, full, known->second.size());
    field.insert(field.end(), known->second.begin(), known->second.end());
    return;
  }
  const bool memoised = ctx.pg_version >= 16;
  Context::ExpansionKey key;
  if (memoised) {
    key = Context::ExpansionKey{full, depth, ctx.last_errno};
    if (auto known = ctx.nested_expansions.find(key); known != ctx.nested_expansions.end()) {
      count_tokens(ctx, full, known->second.tokens.size());
      field.insert(field.end(), known->second.tokens.begin(), known->second.tokens.end());
      err = known->second.error;
      ctx.last_errno = known->second.last_errno;
      return;
    }
  }
  const std::size_t nested_before = ctx.nested_reads;
  std::vector<TokLine> inc_lines;
  ctx.at_stack.push_back(full);
  VectorSink inc_sink{inc_lines};
  tokenize_opened(fr->name, fr->read, depth, ctx, inc_sink);
  ctx.at_stack.pop_back();
  const std::size_t first = field.size();
  for (auto& tl : inc_lines) {
    if (tl.error) {
      err = tl.error;
      break;
    }
    for (auto& f : tl.fields) {
      count_tokens(ctx, full, f.size());
      for (auto& t : f) {
        field.push_back(std::move(t));
      }
    }
  }
  if (!err && !ctx.query_fails && ctx.nested_reads == nested_before) {
    std::vector<model::AuthToken> tokens(field.begin() + static_cast<std::ptrdiff_t>(first), field.end());
    std::unique_lock<std::mutex> lock;
    if (ctx.expansions_lock != nullptr) {
      lock = std::unique_lock<std::mutex>(*ctx.expansions_lock);
    }
    ctx.expansions.emplace(full, std::move(tokens));
  } else if (memoised) {
    ctx.nested_expansions.emplace(
        std::move(key), Context::Expansion{std::vector<model::AuthToken>(
                                               field.begin() + static_cast<std::ptrdiff_t>(first), field.end()),
                                           err, ctx.last_errno});
  }
}

// tokenize_include_file
void include_file(const std::string& outer_file, const std::string& inc_name, int depth, bool missing_ok, Context& ctx,
                  LineSink& out, std::optional<std::string>& err) {
  ++ctx.nested_reads;
  const std::string full = absolute_location(inc_name, outer_file, ctx.pg_version);
  count_reference(ctx, full);
  const Context::CachedFile* fr = nullptr;
  int err_no = 0;
  if (!open_auth_file(full, depth, ctx, fr, err, err_no)) {
    if (err_no == ENOENT && missing_ok) {
      err.reset();
    }
    return;
  }
  tokenize_opened(fr->name, fr->read, depth, ctx, out);
}

// GetConfFilesInDir
std::optional<std::vector<std::string>> conf_files_in_dir(const std::string& dir_name, const std::string& calling_file,
                                                          Context& ctx, std::optional<std::string>& err) {
  ++ctx.nested_reads;
  if (dir_name.find_first_not_of(" \t\r\n") == std::string::npos) {
    err = "empty configuration directory name";
    return std::nullopt;
  }
  const std::string directory = absolute_location(dir_name, calling_file, ctx.pg_version);
  DIR* d = ::opendir(directory.c_str());
  if (d == nullptr) {
    err = fmt::format("could not open directory \"{}\"", directory);
    return std::nullopt;
  }
  std::vector<std::string> files;
  while (const dirent* de = ::readdir(d)) {
    const std::string name = de->d_name;
    if (name.size() < 6 || name[0] == '.' || name.compare(name.size() - 5, 5, ".conf") != 0) {
      continue;
    }
    std::string joined = directory;
    joined += '/';
    joined += name;
    const std::string path = canonicalize_path(joined, ctx.pg_version);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      ::closedir(d);
      err = fmt::format("could not stat file \"{}\"", path);
      return std::nullopt;
    }
    if (!S_ISDIR(st.st_mode)) {
      files.push_back(path);
    }
  }
  ::closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

void tokenize_file(const core::FileName& path, std::string_view bytes, int depth, Context& ctx,
                   std::vector<TokLine>& out) {
  VectorSink sink{out};
  tokenize_file(path, bytes, depth, ctx, sink);
}

namespace {

// Secrets by structure (SourceSet::add_secret): where the value of an ldapbindpasswd= or
// radiussecrets= option begins in the raw line (after the key's bytes, quotes skipped:
// the server splits name=value after dequoting), or npos for another token.
std::size_t secret_value_begin(const grammar::hba::RawToken& t, std::string_view line) {
  const std::string_view text = t.text();
  if (text.size() < 14 || ((text[0] | 0x20) != 'l' && (text[0] | 0x20) != 'r')) {
    return std::string_view::npos;  // the common case, cheaply
  }
  for (std::string_view key : {std::string_view("ldapbindpasswd="), std::string_view("radiussecrets=")}) {
    if (text.size() < key.size()) {
      continue;
    }
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i) {
      const char c = text[i];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == key[i];
    }
    if (!same) {
      continue;
    }
    std::size_t i = t.begin;
    for (std::size_t n = 0; i < t.end && i < line.size() && n < key.size(); ++i) {
      n += line[i] == '"' ? 0 : 1;
    }
    return i;
  }
  return std::string_view::npos;
}

}  // namespace

namespace {

// tokenize_auth_file for one file: each logical line becomes a TokLine for the sink,
// its tokens grouped into fields (@files expanded), or is an include directive (16+).
class FileTokenizer {
 public:
  FileTokenizer(const core::FileName& path, int depth, Context& ctx, LineSink& out)
      : m_path(path), m_depth(depth), m_ctx(ctx), m_out(out) {
    m_state.max_token = max_token_of(ctx.pg_version);
  }

  void run(std::string_view bytes, std::uint32_t first_line) {
    std::size_t pos = 0;
    std::uint32_t line_number = first_line;
    const bool may_contain_nul = !bytes.empty() && std::memchr(bytes.data(), '\0', bytes.size()) != nullptr;
    std::size_t begin = pos;
    while (next_line(bytes, pos, line_number, m_ctx.pg_version, m_l, may_contain_nul)) {
      line(begin, pos);
      begin = pos;
    }
  }

 private:
  // The logical line in m_l (bytes [begin, end) of the file).
  void line(std::size_t begin, std::size_t end) {
    reset_line();
    m_defer = false;
    m_events_before = m_ctx.events.size();
    std::optional<std::string> err = m_l.error;
    if (!err) {
      fields(err);
    }
    if (m_defer) {
      defer(begin, end);
      return;
    }
    if (m_tl.fields.empty() && !err) {
      return;
    }
    m_tl.file = m_path;
    m_tl.line = m_l.first_line;
    m_tl.span = line_span(m_path, m_l);
    if (!err && m_ctx.pg_version >= 16 && m_tl.fields.size() == 2 && include_directive(err)) {
      if (m_defer) {
        defer(begin, end);
      }
      return;
    }
    if (err && !m_error_span_set) {
      m_tl.error_span = m_tl.span;
    }
    m_tl.error = err;
    ++m_lines_sent;
    m_out(m_tl);
  }

  // Detached: the line is left to the caller (its secrets too: the caller's reading of the
  // line registers them).
  void defer(std::size_t begin, std::size_t end) {
    m_ctx.events.resize(m_events_before);
    Context::Event& e = m_ctx.events.emplace_back();
    e.kind = Context::Event::Kind::deferred;
    e.begin = begin;
    e.end = end;
    e.line = m_l.first_line;
    e.lines_sent = m_lines_sent;
  }

  // Keeps the emptied field vectors of the previous line for reuse (the fields a sink
  // moved out are gone; the others keep their capacity).
  void reset_line() {
    for (auto& f : m_tl.fields) {
      if (f.capacity() != 0) {
        f.clear();
        m_spare.push_back(std::move(f));
      }
    }
    m_tl.fields.clear();
    m_tl.error.reset();
    m_tl.error_span = core::Span{};
    m_error_span_set = false;
  }

  // Tokenizes m_l into m_tl.fields; stops at the first error (too long, @file).
  void fields(std::optional<std::string>& err) {
    tokenize_into(m_l.view, m_state);
    if (m_state.count != 0) {
      m_tl.fields.reserve(8);  // a typical record has 4 to 7 fields
    }
    // The field being filled is m_tl.fields.back() when `open`; an empty field is dropped.
    bool open = false;
    bool continues = false;
    // After a secret option, the rest of its value split off by a comma or a blank
    // (`radiussecrets=a, b`, `ldapbindpasswd=a b`: tokens without '=') is secret too.
    bool after_secret = false;
    for (std::size_t ti = 0; ti < m_state.count; ++ti) {
      grammar::hba::RawToken& t = m_state.tokens[ti];
      note_secret(t, continues && open, after_secret);
      if (!continues && open) {
        if (m_tl.fields.back().empty()) {
          m_tl.fields.pop_back();
        }
        open = false;
      }
      if (!open) {
        open_field(ti);
        open = true;
      }
      if (!add_token(t, err)) {
        break;
      }
      continues = t.comma;
    }
    if (open && m_tl.fields.back().empty()) {
      m_tl.fields.pop_back();
    }
  }

  // Secrets by structure: the value of a secret option, and what follows it in its field.
  void note_secret(const grammar::hba::RawToken& t, bool continued, bool& after_secret) {
    std::size_t from = secret_value_begin(t, m_l.view);
    if (from != std::string_view::npos) {
      after_secret = true;
    } else if (after_secret && (continued || t.text().find('=') == std::string_view::npos)) {
      from = t.begin;
    }
    if (from == std::string_view::npos || t.end <= from) {
      return;
    }
    if (m_ctx.detached) {
      m_ctx.events.emplace_back().secret = token_span(m_path, m_l, from, t.end);
    } else if (m_ctx.sources != nullptr) {
      m_ctx.sources->add_secret(token_span(m_path, m_l, from, t.end));
    }
  }

  // A new field for the tokens from `ti` on (up to the first one not followed by a comma).
  void open_field(std::size_t ti) {
    if (m_spare.empty()) {
      m_tl.fields.emplace_back();
    } else {
      m_tl.fields.push_back(std::move(m_spare.back()));
      m_spare.pop_back();
    }
    std::size_t n = ti;
    while (n < m_state.count && m_state.tokens[n].comma) {
      ++n;
    }
    m_tl.fields.back().reserve(n - ti + 1);
  }

  // Adds a token (or the tokens of its @file) to the open field; false on an error.
  bool add_token(grammar::hba::RawToken& t, std::optional<std::string>& err) {
    model::AuthField& field = m_tl.fields.back();
    if (t.too_long) {
      err = "authentication file token too long";
      set_error_span(token_span(m_path, m_l, t.begin, t.end));
      return false;
    }
    const std::string_view text = t.text();
    if (!t.quoted && text.size() > 1 && text[0] == '@') {
      if (m_ctx.detached) {  // the @file cache, the budget and the sources are the caller's
        if (!shared_expansion(field, std::string(text.substr(1)))) {
          m_defer = true;
          return false;
        }
        return true;
      }
      const std::size_t before = field.size();
      expand_at(field, m_path, std::string(text.substr(1)), m_depth + 1, m_ctx, err);
      if (field.size() == before + 1 && field.back().unknown && field.back().span.begin.line == 0) {
        field.back().span = token_span(m_path, m_l, t.begin, t.end);
        if (m_ctx.missing_files.back().span.begin.line == 0) {
          m_ctx.missing_files.back().span = field.back().span;
        }
      }
      if (err) {
        set_error_span(token_span(m_path, m_l, t.begin, t.end));
        return false;
      }
      return true;
    }
    // Constructed in place: the text is copied once, from the line (or the decoded text),
    // by a string constructor (assign() into the empty string costs twice as much).
    model::AuthToken& a = field.emplace_back();
    a.text = std::string(text);
    a.quoted = t.quoted;
    a.span = token_span(m_path, m_l, t.begin, t.end);
    return true;
  }

  // Detached: the tokens of @`name` when the caller's context holds its expansion (see
  // Context::detached), appended to `field`, the reference noted for the caller; false
  // when it does not (yet).
  bool shared_expansion(model::AuthField& field, const std::string& name) {
    const std::string& full = at_location(name, m_path, m_ctx);
    auto it = m_ctx.shared_copies.find(full);
    if (it == m_ctx.shared_copies.end()) {
      std::vector<model::AuthToken> copy;
      {
        const std::lock_guard<std::mutex> lock(*m_ctx.expansions_lock);
        const auto known = m_ctx.shared->expansions.find(full);
        if (known == m_ctx.shared->expansions.end()) {
          return false;
        }
        copy = known->second;
      }
      // The copies name the file with a name of this thread's (one reference count each).
      const core::FileName own(full);
      for (auto& t : copy) {
        if (t.span.begin.file == full) {
          t.span.begin.file = own;
        }
      }
      it = m_ctx.shared_copies.emplace(full, std::move(copy)).first;
    }
    field.insert(field.end(), it->second.begin(), it->second.end());
    Context::Event& e = m_ctx.events.emplace_back();
    e.kind = Context::Event::Kind::at_file;
    e.name = name;
    return true;
  }

  void set_error_span(core::Span span) {
    m_tl.error_span = std::move(span);
    m_error_span_set = true;
  }

  // 16+: include, include_if_exists and include_dir lines; true when the line is done
  // (the included lines went to the sink), false with `err` set, or for another line.
  bool include_directive(std::optional<std::string>& err) {
    const std::string& first = m_tl.fields[0].front().text;
    const std::string& second = m_tl.fields[1].front().text;
    if (m_ctx.detached && (first == "include" || first == "include_if_exists" || first == "include_dir")) {
      m_defer = true;  // what an include reads is the caller's to read, in order
      return true;
    }
    if (first == "include" || first == "include_if_exists") {
      include_file(m_path, second, m_depth + 1, first == "include_if_exists", m_ctx, m_out, err);
      if (!err) {
        return true;
      }
      set_error_span(m_tl.fields[1].front().span);
    } else if (first == "include_dir") {
      auto files = conf_files_in_dir(second, m_path, m_ctx, err);
      if (files) {
        std::string errors;
        for (const auto& f : *files) {
          include_file(m_path, f, m_depth + 1, false, m_ctx, m_out, err);
          if (err) {  // not reset between files, as in hba.c
            if (!errors.empty()) {
              errors += '\n';
            }
            errors += *err;
          }
        }
        if (errors.empty()) {
          return true;
        }
        err = errors;
      }
      set_error_span(m_tl.fields[1].front().span);
    }
    return false;
  }

  const core::FileName& m_path;
  int m_depth;
  Context& m_ctx;
  LineSink& m_out;
  grammar::hba::TokenizeState m_state;
  LogicalLine m_l;
  // One TokLine for the whole file: its field list keeps its capacity from line to line
  // (a sink may move from it; reset_line() resets everything).
  TokLine m_tl;
  // Emptied field vectors of earlier lines, reused for the next fields.
  std::vector<model::AuthField> m_spare;
  bool m_error_span_set = false;
  // Detached (Context::detached): the line is deferred; the events before it; the lines
  // sent to the sink so far.
  bool m_defer = false;
  std::size_t m_events_before = 0;
  std::size_t m_lines_sent = 0;
};

}  // namespace

void tokenize_file(const core::FileName& path, std::string_view bytes, int depth, Context& ctx, LineSink& out) {
  ctx.chain.push_back(path);
  struct PopChain {
    Context& c;
    ~PopChain() { c.chain.pop_back(); }
  } pop_chain{ctx};
  FileTokenizer(path, depth, ctx, out).run(bytes, 1);
}

void tokenize_part(const core::FileName& path, std::string_view bytes, std::uint32_t first_line, int depth,
                   Context& ctx, LineSink& out) {
  ctx.chain.push_back(path);
  struct PopChain {
    Context& c;
    ~PopChain() { c.chain.pop_back(); }
  } pop_chain{ctx};
  FileTokenizer(path, depth, ctx, out).run(bytes, first_line);
}

void replay_at_file(const core::FileName& outer, const std::string& name, Context& ctx) {
  ctx.chain.push_back(outer);  // as while `outer` is tokenized (a spent budget names the chain)
  struct PopChain {
    Context& c;
    ~PopChain() { c.chain.pop_back(); }
  } pop_chain{ctx};
  model::AuthField tokens;  // (the same tokens again: a known expansion)
  std::optional<std::string> err;
  expand_at(tokens, outer, name, 1, ctx, err);
}

std::size_t split_point(std::string_view bytes, std::size_t near) {
  std::size_t line_start = std::min(near, bytes.size());
  // Back to the start of the physical line holding that byte.
  if (line_start > 0) {
    const auto* nl = static_cast<const char*>(::memrchr(bytes.data(), '\n', line_start));
    line_start = nl == nullptr ? 0 : static_cast<std::size_t>(nl - bytes.data()) + 1;
  }
  while (line_start < bytes.size()) {
    const auto* nl = static_cast<const char*>(std::memchr(bytes.data() + line_start, '\n', bytes.size() - line_start));
    if (nl == nullptr) {
      return 0;
    }
    const auto nl_at = static_cast<std::size_t>(nl - bytes.data());
    std::size_t end = nl_at;
    while (end > line_start && bytes[end - 1] == '\r') {
      --end;
    }
    if ((end == line_start || bytes[end - 1] != '\\') && nl_at + 1 < bytes.size()) {
      return nl_at + 1;
    }
    line_start = nl_at + 1;
  }
  return 0;
}

}  // namespace pgl::parse::auth
