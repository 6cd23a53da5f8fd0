// probe-plaintext-accepted: the running server lets a connection in without SSL.
#include <fmt/format.h>

#include "rules/probe/probe_rules.hpp"

namespace pgl::rules {

namespace {

constexpr std::string_view k_id = "probe-plaintext-accepted";

class PlaintextAcceptedRule final : public lint::Rule {
 public:
  static constexpr lint::RuleMeta k_meta{k_id, "the running server accepts a connection without SSL",
                                         core::Severity::warning};
  [[nodiscard]] const lint::RuleMeta& meta() const override { return k_meta; }
  void check(const model::Config& /*config*/, lint::LintContext& /*ctx*/) const override {}  // live only
};

}  // namespace

namespace probes {

void assess_plaintext_accepted(const pgl::probe::Report& r, const Context& /*ctx*/,
                               std::vector<core::Diagnostic>& out) {
  using Outcome = pgl::probe::PlainCheck::Outcome;
  if (r.plaintext.outcome != Outcome::auth_requested && r.plaintext.outcome != Outcome::auth_ok) {
    return;
  }
  const std::string answer = r.plaintext.outcome == Outcome::auth_ok
                                 ? std::string("AuthenticationOk: no password needed (trust)")
                                 : fmt::format("an authentication request ({})", r.plaintext.auth_method);
  out.push_back(
      make(k_id, r,
           fmt::format("{} accepts connections without SSL: a plain StartupMessage for user \"{}\", database \"{}\" "
                       "was answered with {}",
                       r.target.display(), r.user, r.database, answer),
           r.ssl_answer == pgl::probe::SslAnswer::accepted
               ? "make the pg_hba.conf lines that match TCP connections `hostssl` (or add `hostnossl all all 0.0.0.0/0 "
                 "reject` and `hostnossl all all ::/0 reject` first), then reload the server"
               : "turn ssl on (ssl = on, ssl_cert_file, ssl_key_file), make the TCP lines of pg_hba.conf `hostssl`, "
                 "then reload the server"));
}

}  // namespace probes

std::unique_ptr<lint::Rule> make_probe_plaintext_accepted() {
  return std::make_unique<PlaintextAcceptedRule>();
}

}  // namespace pgl::rules
