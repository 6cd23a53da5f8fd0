// Shared reading layer of pg_hba.conf and pg_ident.conf (hba.c tokenize_auth_file):
// physical lines, continuations, the tokenizer, @file expansion and include directives.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/read_file.hpp"
#include "core/source.hpp"
#include "model/hba.hpp"

namespace pgl::parse::auth {

// One TokenizedAuthLine.
struct TokLine {
  core::FileName file;
  std::uint32_t line = 0;
  std::vector<model::AuthField> fields;
  std::optional<std::string> error;
  core::Span span;        // the whole logical line
  core::Span error_span;  // the token that failed (falls back to span); set only with error
};

struct FileRead {
  bool ok = false;
  int err_no = 0;
  bool is_directory = false;
  std::string bytes;
  // Set (with ok = false) for a file the linter does not read: not a regular file, too
  // large, or past the run's read budget (core::read_file).
  std::optional<core::ReadError> refused;
};

// Reads a file like AllocateFile + fgets would see it, through core::read_file: a file
// that is no regular file or is too large comes back `refused`; a file the linter may
// not read (permission denied) stops the run (Fatal, exit 2). A file already in `sources`
// is not read again: the run sees one content per file (and a caller holding a file's
// bytes, such as a fuzz target, can parse them without writing them).
[[nodiscard]] FileRead read_file(const std::string& path, const core::SourceSet* sources = nullptr);

// AbsoluteConfigLocation() for @files and include directives: relative to the directory
// of the referencing file, canonicalised as the version's canonicalize_path does
// (parse/conf_paths.hpp; the same src/port/path.c code serves every configuration file).
[[nodiscard]] std::string absolute_location(const std::string& location, const std::string& calling_file,
                                            int pg_version);

// A logical line: the physical lines joined by continuations.
struct LogicalLine {
  // The line: `view`, which points into the file's bytes when the line is one physical
  // line used in place (then `text` is empty), else into `text`, where it was assembled.
  // split_lines() fills `text` for every line.
  std::string text;
  std::string_view view;
  std::uint32_t first_line = 0;
  std::uint32_t physical_lines = 1;
  std::optional<std::string> error;  // a line-level read error (none since 12.22 / 13.23)
  struct Segment {
    std::size_t offset;  // in text
    std::uint32_t line;  // physical line
  };
  std::vector<Segment> segments;
  [[nodiscard]] core::Location location(const core::FileName& file, std::size_t offset) const;
  // 1-based physical line and column of a byte offset in text.
  [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> line_column(std::size_t offset) const;
};

// Reads the next logical line of `bytes` at `pos` into `l` (its buffers are reused);
// false at the end. `line_number` is the physical line at `pos` (1 at the start).
// `may_contain_nul` = false skips the per-line search for a NUL byte (the caller knows
// that `bytes` has none).
bool next_line(std::string_view bytes, std::size_t& pos, std::uint32_t& line_number, int pg_version, LogicalLine& l,
               bool may_contain_nul = true);
[[nodiscard]] std::vector<LogicalLine> split_lines(std::string_view bytes, int pg_version);
// Upper bound of the lines of `bytes` that produce a TokLine (to reserve the output).
[[nodiscard]] std::size_t line_count_hint(std::string_view bytes);

// getnameinfo(NI_NUMERICHOST) text of an IPv6 address without a zone (what inet_ntop
// writes), for the addresses it can format directly: writes it to `out` (at least
// INET6_ADDRSTRLEN bytes, NUL-terminated) and returns its length, or returns 0 for the
// addresses with an embedded IPv4 form (the first five groups are zero), which the
// caller formats with inet_ntop.
[[nodiscard]] std::size_t format_ipv6(const unsigned char* bytes, char* out);

// inet_pton(AF_INET) of `text` (glibc's inet_pton4: exactly four dotted decimal parts of
// 0-255, no leading zero, nothing else), without the NUL-terminated copy the C function
// needs: true with the four bytes in `out` (network order), false (out unchanged) where
// inet_pton returns 0.
[[nodiscard]] bool parse_ipv4(std::string_view text, unsigned char* out);

// Raw tokens of one logical line (the PEGTL grammar). Exposed for tests.
struct RawToken {
  std::string text;
  bool quoted = false;
  bool comma = false;
  bool too_long = false;
  std::size_t begin = 0;
  std::size_t end = 0;
};
[[nodiscard]] std::vector<RawToken> tokenize_line(std::string_view line, int pg_version);

struct Context {
  int pg_version = 18;
  bool missing_unknown = false;                     // AuthParseOptions::missing_files_unknown
  std::vector<model::MissingFile> missing_files;    // the @files read as unknown tokens
  std::set<std::string, std::less<>> missing_seen;  // their paths
  core::SourceSet* sources = nullptr;
  bool query_fails = false;
  std::string query_error;
  std::vector<std::string> at_stack;  // @-files being expanded (12-15 recursion detection)
  // Files already read during this parse, by absolute path (an @file named on many
  // lines is read once), with the name their locations share.
  struct CachedFile {
    FileRead read;
    core::FileName name;
  };
  std::map<std::string, CachedFile, std::less<>> file_cache;
  // absolute_location() of each @file name, by referencing file and name (a name on
  // many lines is resolved once).
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> at_locations;
  // Number of @file expansions and include directives processed so far.
  std::size_t nested_reads = 0;
  // errno as the server leaves it: set by every failed open, kept by successful ones
  // (open_auth_file's depth check in 16+ sets none; see include_file).
  int last_errno = 0;
  // Tokens of @files whose expansion read nothing else and had no error, by absolute
  // path: they expand to the same tokens each time they are named.
  std::map<std::string, std::vector<model::AuthToken>, std::less<>> expansions;
  // 16+: every other @file expansion, by (absolute path, depth, errno on entry): with the
  // file read once, what the expansion yields (its tokens, its first error, the errno it
  // leaves) depends on nothing else, so a file naming itself or others many times is
  // expanded once per depth instead of once per path through the references (the server
  // repeats the work; the result is the same). 12-15 detect recursion by the stack of
  // files being expanded, which would enter the key: not kept for them.
  struct Expansion {
    std::vector<model::AuthToken> tokens;
    std::optional<std::string> error;
    int last_errno = 0;
  };
  struct ExpansionKey {
    std::string path;
    int depth = 0;
    int last_errno = 0;
    auto operator<=>(const ExpansionKey&) const = default;
  };
  std::map<ExpansionKey, Expansion> nested_expansions;
  // The files being tokenized, outermost first (for the message of a spent budget).
  std::vector<std::string> chain;
  // A part of a file tokenized on another thread (parse_hba's split) touches nothing the
  // caller's context or sources hold. Its secrets, its @file references and the lines it
  // leaves to the caller become `events`, in order, for the caller to register, replay
  // and read at their places. An @file whose expansion the caller's context already
  // holds in `expansions` is expanded from a copy of it (looked up under
  // `expansions_lock`, which the caller's context holds to add one: an expansion, once
  // there, is what every later reference yields); any other @file reference, and an
  // include directive, leaves its line to the caller (a deferred line goes to no sink).
  bool detached = false;
  const Context* shared = nullptr;        // detached: the caller's context
  std::mutex* expansions_lock = nullptr;  // both contexts while the two parts are read
  std::map<std::string, std::vector<model::AuthToken>, std::less<>> shared_copies;  // detached, by path
  struct Event {
    enum class Kind { secret, at_file, deferred } kind = Kind::secret;
    core::Span secret;           // secret: its span
    std::string name;            // at_file: the name after the '@'
    std::size_t begin = 0;       // deferred: the logical line's bytes in the part
    std::size_t end = 0;         //   (with its line terminators)
    std::uint32_t line = 0;      //   its first physical line
    std::size_t lines_sent = 0;  //   the lines the sink got before it
  };
  std::vector<Event> events;
};

// "a" -> "b" -> "c": the chain of files that led to `last`.
[[nodiscard]] std::string chain_text(const Context& ctx, const std::string& last);
// The message of a file the linter refused to read (FileRead::refused), with what the
// server would do with it. Throws Fatal for a spent read budget (naming the chain).
[[nodiscard]] std::string refused_text(const core::ReadError& e, const std::string& path, const Context& ctx);

// Receives the tokenized lines one by one, in order; may move from the line.
class LineSink {
 public:
  virtual void operator()(TokLine& line) = 0;

 protected:
  ~LineSink() = default;
};

// tokenize_auth_file: appends the lines of `path` (already read into `bytes`) to `out`.
void tokenize_file(const core::FileName& path, std::string_view bytes, int depth, Context& ctx,
                   std::vector<TokLine>& out);
// The same, handing each line to `out` as soon as it is tokenized.
void tokenize_file(const core::FileName& path, std::string_view bytes, int depth, Context& ctx, LineSink& out);

// The same for a part of a file's bytes that starts a logical line (see split_point),
// its lines numbered from `first_line`: the lines and records are those the whole file's
// tokenization gives for that part.
void tokenize_part(const core::FileName& path, std::string_view bytes, std::uint32_t first_line, int depth,
                   Context& ctx, LineSink& out);

// What an @file reference of a detached part (Context::detached) does to the caller's
// context, done by the caller in order: the reference and its tokens counted against the
// budget, the @file's name resolved (the tokens are the detached part's already).
void replay_at_file(const core::FileName& outer, const std::string& name, Context& ctx);

// A byte offset at or after the physical line holding byte `near` of `bytes` where a
// logical line starts in every version: just after a '\n' whose physical line (without
// its final '\r's) does not end in a backslash (no continuation joins the two parts).
// 0 when there is none.
[[nodiscard]] std::size_t split_point(std::string_view bytes, std::size_t near);

// parse_hba reads a top-level pg_hba.conf of at least this many lines (8192) in two parts,
// the second on another thread; tests change it, and with `second_part_after` have the
// second part read (as on the other thread) after the first, on the caller's thread.
// hba_splits(): how many reads were split.
void set_hba_split_from(std::size_t lines, bool second_part_after = false);
[[nodiscard]] std::size_t hba_splits();

// open_auth_file + tokenize for the top-level file; returns false with `error` set when
// the file cannot be opened (message without the version-specific prefix: errno text).
[[nodiscard]] std::string errno_text(int err_no);

}  // namespace pgl::parse::auth
