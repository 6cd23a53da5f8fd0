// postgresql.conf (+ includes + auto.conf): effective values compared by meaning.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "conf/guc.hpp"
#include "core/secrets.hpp"
#include "diff/diff_internal.hpp"
#include "parse/conninfo.hpp"
#include "tls/x509.hpp"

namespace pgl::diff {

namespace {

// Replication wiring: each standby points at its own upstream, slot, archive, targets.
constexpr std::array k_replication{"archive_cleanup_command",
                                   "hot_standby",
                                   "hot_standby_feedback",
                                   "max_standby_archive_delay",
                                   "max_standby_streaming_delay",
                                   "primary_conninfo",
                                   "primary_slot_name",
                                   "promote_trigger_file",
                                   "recovery_end_command",
                                   "recovery_min_apply_delay",
                                   "recovery_target",
                                   "recovery_target_action",
                                   "recovery_target_inclusive",
                                   "recovery_target_lsn",
                                   "recovery_target_name",
                                   "recovery_target_time",
                                   "recovery_target_timeline",
                                   "recovery_target_xid",
                                   "restore_command",
                                   "synchronous_standby_names",
                                   "sync_replication_slots",
                                   "wal_receiver_create_temp_slot",
                                   "wal_receiver_status_interval",
                                   "wal_receiver_timeout",
                                   "wal_retrieve_retry_interval"};

// Identity and paths of a node.
constexpr std::array k_identity{"cluster_name",      "config_file",        "data_directory", "event_source",
                                "external_pid_file", "hba_file",           "ident_file",     "krb_server_keyfile",
                                "listen_addresses",  "ssl_ca_file",        "ssl_cert_file",  "ssl_crl_dir",
                                "ssl_crl_file",      "ssl_dh_params_file", "ssl_key_file",   "stats_temp_directory",
                                "syslog_ident"};

// Memory and worker sizing (ignored only with --allow-sizing).
constexpr std::array k_sizing{"autovacuum_max_workers",
                              "autovacuum_work_mem",
                              "effective_cache_size",
                              "effective_io_concurrency",
                              "hash_mem_multiplier",
                              "huge_pages",
                              "logical_decoding_work_mem",
                              "maintenance_io_concurrency",
                              "maintenance_work_mem",
                              "max_connections",
                              "max_locks_per_transaction",
                              "max_parallel_maintenance_workers",
                              "max_parallel_workers",
                              "max_parallel_workers_per_gather",
                              "max_prepared_transactions",
                              "max_wal_senders",
                              "max_wal_size",
                              "max_worker_processes",
                              "min_wal_size",
                              "shared_buffers",
                              "temp_buffers",
                              "wal_buffers",
                              "work_mem"};

// A standby refuses to start when one of these is below the primary's value.
constexpr std::array k_standby_minimums{"max_connections", "max_locks_per_transaction", "max_prepared_transactions",
                                        "max_wal_senders", "max_worker_processes"};

template <std::size_t N>
bool in(const std::array<const char*, N>& list, std::string_view name) {
  return std::any_of(list.begin(), list.end(), [&](const char* s) { return name == s; });
}

bool glob_match(std::string_view pattern, std::string_view name) {
  if (pattern.empty()) {
    return name.empty();
  }
  if (pattern.front() == '*') {
    for (std::size_t i = 0; i <= name.size(); ++i) {
      if (glob_match(pattern.substr(1), name.substr(i))) {
        return true;
      }
    }
    return false;
  }
  return !name.empty() && pattern.front() == name.front() && glob_match(pattern.substr(1), name.substr(1));
}

bool listed(const std::vector<std::string>& patterns, std::string_view name) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return glob_match(p, name); });
}

bool class_listed(const std::vector<std::string>& patterns, std::string_view cls) {
  return std::find(patterns.begin(), patterns.end(), cls) != patterns.end();
}

// Security-relevant settings: returns <0 when `replica` is weaker than `primary`, >0 when
// stronger, 0 when not comparable this way.
int security_order(std::string_view name, const std::string& primary, const std::string& replica) {
  if (name == "ssl_ciphers") {
    // Weaker when the replica's list enables a kind of weak cipher the primary's does not.
    auto weaknesses = [](const std::string& list) -> std::optional<std::set<std::string>> {
      auto ciphers = tls::evaluate_cipher_list(list);
      if (!ciphers) {
        return std::nullopt;
      }
      std::set<std::string> out;
      for (const auto& c : *ciphers) {
        out.insert(c.weaknesses.begin(), c.weaknesses.end());
      }
      return out;
    };
    const auto p = weaknesses(primary);
    const auto r = weaknesses(replica);
    if (!p || !r) {
      return 0;
    }
    return std::includes(p->begin(), p->end(), r->begin(), r->end()) ? 0 : -1;
  }
  auto rank_of = [](std::string_view param, const std::string& v) -> int {
    if (param == "ssl") {
      return v == "on" ? 1 : 0;
    }
    if (param == "ssl_min_protocol_version") {
      return tls::protocol_rank(v) - 1;  // -1: '' or unknown
    }
    if (param == "password_encryption") {
      return v == "scram-sha-256" ? 1 : 0;
    }
    return -1;
  };
  const int p = rank_of(name, primary);
  const int r = rank_of(name, replica);
  if (p < 0 || r < 0) {
    return 0;
  }
  return r < p ? -1 : r > p ? 1 : 0;
}

struct Value {
  std::string normalized;
  std::string display;  // as written, or "default"
  const model::ConfEntry* entry = nullptr;
};

Value value_of(const Node& node, const std::string& name) {
  const model::Config& c = node.config;
  if (const auto* s = c.setting(name)) {
    return Value{normalize_setting(c.pg_version, name, s->value), parse::masked_setting_value(name, s->value),
                 s->entry};
  }
  std::string boot;
  if (const auto* def = conf::find_guc(c.pg_version, name)) {
    boot = std::string(def->boot_val);
  }
  return Value{normalize_setting(c.pg_version, name, boot), "default", nullptr};
}

std::string main_conf_file(const Node& node) {
  if (node.config.conf && !node.config.conf->main_file.empty()) {
    return node.config.conf->main_file;
  }
  return node.config.config_dir.empty() ? node.name : node.config.config_dir + "/postgresql.conf";
}

core::Span value_span(const Node& node, const Value& v) {
  if (v.entry == nullptr) {
    return detail::file_span(main_conf_file(node));
  }
  core::Span s = v.entry->name_span;
  if (s.begin.file.empty()) {
    s = core::Span::at(v.entry->file, v.entry->line, 1);
  }
  return s;
}

// "100", or "the default (100)" for an unset parameter.
std::string shown_value(const Value& v) {
  return v.entry ? v.display : fmt::format("the default ({})", v.normalized);
}

}  // namespace

IgnoreClass ignore_class(std::string_view name, const DiffOptions& options) {
  // `add` wins over everything; a class name in `add` compares the whole class, in
  // `ignore` leaves it out (`sizing` in `ignore` is the same as --allow-sizing).
  if (listed(options.add, name)) {
    return IgnoreClass::none;
  }
  if (listed(options.ignore, name)) {
    return IgnoreClass::user;
  }
  auto active = [&](std::string_view cls, bool by_default) {
    if (class_listed(options.add, cls)) {
      return false;
    }
    return by_default || class_listed(options.ignore, cls);
  };
  if (in(k_replication, name) && active("replication", true)) {
    return IgnoreClass::replication;
  }
  if (in(k_identity, name) && active("identity", true)) {
    return IgnoreClass::identity;
  }
  if (in(k_sizing, name) && active("sizing", options.allow_sizing)) {
    return IgnoreClass::sizing;
  }
  return IgnoreClass::none;
}

namespace detail {

namespace {

// The drift of one replica's value that differs from the primary's: a standby below the
// primary's minimum, a weaker security setting, else a plain difference unless its class
// is ignored (none then).
std::optional<model::DriftFact> replica_drift(const std::string& name, const Node& primary, const Value& pv,
                                              const Node& node, const Value& rv, bool is_minimum, IgnoreClass cls) {
  model::DriftFact d;
  d.span = value_span(node, rv);
  d.related.push_back(
      core::Related{value_span(primary, pv), pv.entry ? fmt::format("the primary sets {} = {} here", name, pv.display)
                                                      : fmt::format("the primary uses the default for {}", name)});
  const int sec = security_order(name, pv.normalized, rv.normalized);
  // Only a standby of a real primary: a standby's minimums come from the primary's WAL.
  if (is_minimum && node.is_standby() && !primary.is_standby()) {
    const double p = std::strtod(pv.normalized.c_str(), nullptr);
    const double r = std::strtod(rv.normalized.c_str(), nullptr);
    if (r < p) {
      d.kind = model::DriftKind::standby_too_small;
      d.message = fmt::format("{} is {} on {}, below the primary's {}: the standby refuses to start", name,
                              shown_value(rv), describe(node), shown_value(pv));
      d.help = fmt::format("set {} to at least the primary's value on every standby", name);
      return d;
    }
  }
  if (sec < 0) {
    d.kind = model::DriftKind::weaker_security;
    d.message = fmt::format("{} is {} on {} but {} on the primary: the replica accepts what the primary refuses", name,
                            shown_value(rv), describe(node), shown_value(pv));
    d.help = fmt::format("use the primary's value of {} on every replica", name);
    return d;
  }
  if (cls != IgnoreClass::none) {
    return std::nullopt;
  }
  d.kind = model::DriftKind::setting;
  d.message =
      fmt::format("{} is {} on {} but {} on the primary", name, shown_value(rv), describe(node), shown_value(pv));
  d.help = fmt::format("make {} the same on every node, or list it under [diff] ignore in .pgconflint.toml", name);
  return d;
}

}  // namespace

void diff_settings(Collector& out, const DiffOptions& options) {
  const auto& nodes = out.nodes();
  std::set<std::string> names;
  for (const auto& n : nodes) {
    for (const auto& [name, s] : n.config.settings) {
      names.insert(name);
    }
  }
  const Node& primary = nodes.front();
  for (const auto& name : names) {
    std::vector<Value> values;
    values.reserve(nodes.size());
    for (const auto& n : nodes) {
      values.push_back(value_of(n, name));
    }
    const Value& pv = values.front();
    bool any_diff = false;
    for (std::size_t i = 1; i < nodes.size(); ++i) {
      any_diff = any_diff || values[i].normalized != pv.normalized;
    }
    if (!any_diff) {
      continue;
    }
    const bool is_minimum = in(k_standby_minimums, name);
    const IgnoreClass cls = ignore_class(name, options);
    bool shown = false;
    for (std::size_t i = 1; i < nodes.size(); ++i) {
      if (values[i].normalized == pv.normalized) {
        continue;
      }
      if (auto d = replica_drift(name, primary, pv, nodes[i], values[i], is_minimum, cls)) {
        out.report(std::move(*d));
        shown = true;
      }
    }
    if (shown) {
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        out.set_cell("setting", name, values.front().display, i, values[i].display,
                     i > 0 && values[i].normalized != pv.normalized);
      }
    } else if (cls != IgnoreClass::none) {
      Ignored ig{name, cls, {}};
      for (const auto& v : values) {
        ig.values.push_back(v.display);
      }
      out.ignore(std::move(ig));
    }
  }
}

}  // namespace detail

}  // namespace pgl::diff
