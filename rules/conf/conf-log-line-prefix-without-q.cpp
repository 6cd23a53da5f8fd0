// conf-log-line-prefix-without-q: log_line_prefix has session-only escapes (%u, %d, %a, %h,
// %r, %i) without a %q before them, so the lines of background processes carry those fields
// empty. klouddbshield's configuration audit asks for %q. strict profile, a note.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "analysis/conf_support.hpp"
#include "lint/rule.hpp"
#include "rules/conf/log_line_prefix.hpp"

namespace pgl::rules {
namespace {

// Escapes that print something only in a session's backend (the "Session only" column of the
// log_line_prefix table of the server's documentation).
constexpr std::string_view k_session_only = "udahri";

class ConfLogLinePrefixWithoutQRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{"conf-log-line-prefix-without-q",
                                         "background processes log the session fields of log_line_prefix empty (no %q)",
                                         core::Severity::note, lint::Profile::strict};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }

  void check(const model::Config& config, lint::LintContext& ctx) const override {
    const auto v = analysis::view_setting(config, "log_line_prefix");
    if (!v || (v->entry != nullptr && analysis::is_template_entry(config, *v->entry))) {
      return;
    }
    const auto escapes = log_prefix_escapes(v->value);
    const PrefixEscape* first_session = nullptr;
    for (const auto& e : escapes) {
      if (e.letter == 'q') {
        return;  // non-session processes stop here, before any session-only escape
      }
      if (k_session_only.find(e.letter) != std::string_view::npos) {
        first_session = &e;
        break;
      }
    }
    if (first_session == nullptr) {
      return;  // nothing a background process would print empty
    }
    std::string session;  // the session-only escapes used, in order
    for (const auto& e : escapes) {
      if (k_session_only.find(e.letter) != std::string_view::npos &&
          session.find(std::string{'%', e.letter}) == std::string::npos) {
        session += (session.empty() ? "%" : " %") + std::string(1, e.letter);
      }
    }
    const auto span = v->entry != nullptr ? analysis::value_sub_span(*v->entry, first_session->offset, 2) : v->span;
    diag(ctx, span,
         fmt::format("{}: no %q before the session-only escapes ({}), so the lines of background processes "
                     "(checkpointer, autovacuum, WAL writer) carry those fields empty (klouddbshield's configuration "
                     "audit asks for %q)",
                     v->describe(), session))
        .help(
            "put %q where the session-only part begins, e.g. log_line_prefix = '%m [%p] %quser=%u db=%d app=%a "
            "client=%h '");
  }
};

}  // namespace

std::unique_ptr<lint::Rule> make_conf_log_line_prefix_without_q() {
  return std::make_unique<ConfLogLinePrefixWithoutQRule>();
}

}  // namespace pgl::rules
