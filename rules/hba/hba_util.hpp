// Helpers shared by the pg_hba.conf / pg_ident.conf rules.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/hba_reach.hpp"
#include "analysis/template_detect.hpp"
#include "core/diagnostic.hpp"
#include "lint/rule.hpp"
#include "model/config.hpp"

namespace pgl::rules::hba {

// The token span if the parser filled it, else the whole line of the record.
[[nodiscard]] core::Span span_or_line(const core::Span& span, const std::string& file, std::uint32_t line);
[[nodiscard]] core::Span type_span(const model::HbaRecord& r);
[[nodiscard]] core::Span method_span(const model::HbaRecord& r);
[[nodiscard]] core::Span address_span(const model::HbaRecord& r);
[[nodiscard]] core::Span line_span(const model::HbaRecord& r);

// "line 12", or "line 12 of /etc/postgresql/conf.d/extra.conf" when not in pg_hba.conf itself.
[[nodiscard]] std::string line_ref(const model::HbaRecord& r, const model::HbaFile& file);

// Last occurrence of an option (a repeated option overrides the earlier one).
[[nodiscard]] const model::HbaOption* find_option(const model::HbaRecord& r, std::string_view name);

// The unquoted `all` keywords of a record's database and user columns (nullptr where the
// column has none).
struct AllKeywords {
  const model::AuthToken* database = nullptr;
  const model::AuthToken* user = nullptr;
  [[nodiscard]] bool any() const { return database != nullptr || user != nullptr; }
  [[nodiscard]] bool both() const { return database != nullptr && user != nullptr; }
  [[nodiscard]] const model::AuthToken& first() const { return database != nullptr ? *database : *user; }
};
[[nodiscard]] AllKeywords all_keywords(const model::HbaRecord& r);

// Methods with which the client sends its password (or a hash of it) to the server.
[[nodiscard]] bool sends_password(std::string_view method);

// What an eavesdropper on an unencrypted connection learns from the authentication of a
// method: the password itself (password, ldap, radius, pam, bsd), an MD5 challenge response
// that can be attacked offline (md5), or nothing about the password (scram-sha-256, ...).
enum class PasswordExposure { none, hash_response, cleartext };
[[nodiscard]] PasswordExposure password_exposure(std::string_view method);

// A CIDR or a plain address (as a /32 or /128), e.g. from a rule option.
[[nodiscard]] std::optional<model::IpNet> parse_cidr(std::string_view text);

// Span of the value of a postgresql.conf setting (whole line fallback).
[[nodiscard]] core::Span setting_span(const model::EffectiveSetting& s);

// A record of pg_hba.conf with its index (the index the reachability analysis takes).
struct IndexedRecord {
  std::size_t index;
  const model::HbaRecord& record;
};

// The records of a pg_hba.conf with their indexes: `for (const auto& [i, r] : view.records())`.
class IndexedRecords {
 public:
  class Iterator {
   public:
    Iterator(const std::vector<model::HbaRecord>* records, std::size_t index) : m_records(records), m_index(index) {}
    IndexedRecord operator*() const { return {m_index, (*m_records)[m_index]}; }
    Iterator& operator++() {
      ++m_index;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return m_index != other.m_index; }

   private:
    const std::vector<model::HbaRecord>* m_records;
    std::size_t m_index;
  };

  explicit IndexedRecords(const std::vector<model::HbaRecord>* records) : m_records(records) {}
  [[nodiscard]] Iterator begin() const { return {m_records, 0}; }
  [[nodiscard]] Iterator end() const { return {m_records, m_records ? m_records->size() : 0}; }

 private:
  const std::vector<model::HbaRecord>* m_records;  // nullptr: no records
};

// The first construct of unrendered template syntax outside comments in pg_hba.conf (or a
// file it includes) / pg_ident.conf, if any (analysis/template_detect.hpp). Such a file is
// reported once by hba-template-syntax; other rules leave it alone (`<% if %>` / `<% else %>`
// branches are alternatives, not a sequence of lines).
[[nodiscard]] std::optional<analysis::TemplateMatch> hba_template(const model::Config& config,
                                                                  std::string* file = nullptr);
[[nodiscard]] std::optional<analysis::TemplateMatch> ident_template(const model::Config& config);
// The configuration's pg_ident.conf for the rules that read its lines: nullptr when it was not
// read or is an unrendered template.
[[nodiscard]] const model::IdentFile* ident_file(const model::Config& config);

// The records of the configuration's pg_hba.conf with a reachability analysis (none when
// pg_hba.conf is an unrendered template).
class HbaView {
 public:
  explicit HbaView(const model::Config& config);
  [[nodiscard]] bool present() const { return m_file != nullptr; }
  // Every record with its index; none when pg_hba.conf was not read.
  [[nodiscard]] IndexedRecords records() const { return IndexedRecords(m_file ? &m_file->records : nullptr); }
  [[nodiscard]] const model::HbaFile& file() const { return *m_file; }
  [[nodiscard]] const analysis::HbaReach& reach() const { return *m_reach; }
  // Records that take part in matching and that some connection might still reach.
  [[nodiscard]] bool live(std::size_t index) const;
  // The live records `pick` selects, each with its answer to `query`, in record order (one
  // HbaReach::reach_each call: on several threads on a large file). A line no connection
  // reaches is reached by none of a narrower query's connections either, so it is not asked.
  struct Answer {
    const model::HbaRecord& record;
    analysis::Reach reach;
  };
  [[nodiscard]] std::vector<Answer> reach_live(const std::function<bool(const model::HbaRecord&)>& pick,
                                               const analysis::ReachQuery& query) const;

 private:
  const model::HbaFile* m_file = nullptr;
  const analysis::HbaReach* m_reach = nullptr;  // the Config's model (analysis::hba_model)
};

// 10.0.0.0/8, 2001:db8::/32 (compressed IPv6 form, host bits cleared).
[[nodiscard]] std::string display_net(const model::IpNet& net);

// The connections of `reach.example` described from the line's own address: the analysis
// names the largest block still reachable, which for a line whose address earlier lines
// partly cover is an odd block such as 128.0.0.0/2. This names the line's address and the
// earlier lines instead: "unencrypted TCP connections from 0.0.0.0/0 that line 26 does not
// take first".
[[nodiscard]] std::string reach_example(const model::HbaRecord& r, const model::HbaFile& file,
                                        const analysis::Reach& reach);

// Related locations (FindingBuilder::notes) at the records taken by the analysis, each with
// message `what` (at most `limit`).
[[nodiscard]] std::vector<core::Related> taken_by_notes(const model::HbaFile& file,
                                                        const std::vector<std::size_t>& taken, std::string_view what,
                                                        std::size_t limit = 3);

}  // namespace pgl::rules::hba

namespace pgl::rules {
// Factories, one per rule (rules/hba/<id>.cpp).
std::unique_ptr<lint::Rule> make_hba_address_leading_zero();
std::unique_ptr<lint::Rule> make_hba_all_names();
std::unique_ptr<lint::Rule> make_hba_broad_line_first();
std::unique_ptr<lint::Rule> make_hba_broad_network();
std::unique_ptr<lint::Rule> make_hba_cert_without_ca();
std::unique_ptr<lint::Rule> make_hba_cleartext_password();
std::unique_ptr<lint::Rule> make_hba_host_bits_set();
std::unique_ptr<lint::Rule> make_hba_host_not_ssl();
std::unique_ptr<lint::Rule> make_hba_hostname_address();
std::unique_ptr<lint::Rule> make_hba_hostnossl_allows();
std::unique_ptr<lint::Rule> make_hba_hostssl_while_ssl_off();
std::unique_ptr<lint::Rule> make_hba_ident_map_missing();
std::unique_ptr<lint::Rule> make_hba_ident_over_tcp();
std::unique_ptr<lint::Rule> make_hba_invalid_line();
std::unique_ptr<lint::Rule> make_hba_ldap_cleartext();
std::unique_ptr<lint::Rule> make_hba_local_not_peer();
std::unique_ptr<lint::Rule> make_hba_md5();
std::unique_ptr<lint::Rule> make_hba_network_all_names();
std::unique_ptr<lint::Rule> make_hba_regex_unanchored();
std::unique_ptr<lint::Rule> make_hba_regex_unescaped_dot();
std::unique_ptr<lint::Rule> make_hba_replication_not_ssl();
std::unique_ptr<lint::Rule> make_hba_superuser_from_network();
std::unique_ptr<lint::Rule> make_hba_trust_local();
std::unique_ptr<lint::Rule> make_hba_trust_over_network();
std::unique_ptr<lint::Rule> make_hba_template_syntax();
std::unique_ptr<lint::Rule> make_hba_unreachable_line();
std::unique_ptr<lint::Rule> make_hba_weaker_method_first();
std::unique_ptr<lint::Rule> make_ident_invalid_line();
std::unique_ptr<lint::Rule> make_ident_line_misread();
std::unique_ptr<lint::Rule> make_ident_placeholder_name();
std::unique_ptr<lint::Rule> make_ident_regex_unanchored();
std::unique_ptr<lint::Rule> make_ident_regex_unescaped_dot();
}  // namespace pgl::rules
