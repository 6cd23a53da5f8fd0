// Rules of this area, sorted by id, one line each.
#include "rules/conf/conf_rules.hpp"
#include "rules/registry.hpp"

namespace pgl::rules {

void add_conf_rules(RuleList& out) {
  out.push_back(make_conf_allow_system_table_mods_on());
  out.push_back(make_conf_archive_command_noop());
  out.push_back(make_conf_auth_delay_missing());
  out.push_back(make_conf_authentication_timeout_long());
  out.push_back(make_conf_autovacuum_off());
  out.push_back(make_conf_debug_pretty_print_off());
  out.push_back(make_conf_debug_print_enabled());
  out.push_back(make_conf_duplicate_setting());
  out.push_back(make_conf_fsync_off());
  out.push_back(make_conf_full_page_writes_off());
  out.push_back(make_conf_ignore_system_indexes_on());
  out.push_back(make_conf_include_missing());
  out.push_back(make_conf_internal_parameter());
  out.push_back(make_conf_invalid_value());
  out.push_back(make_conf_jit_debug_support_on());
  out.push_back(make_conf_listen_addresses_invalid());
  out.push_back(make_conf_listen_all());
  out.push_back(make_conf_log_connections_off());
  out.push_back(make_conf_log_destination_empty());
  out.push_back(make_conf_log_directory_empty());
  out.push_back(make_conf_log_directory_in_data());
  out.push_back(make_conf_log_disconnections_off());
  out.push_back(make_conf_log_duration_off());
  out.push_back(make_conf_log_error_verbosity_not_verbose());
  out.push_back(make_conf_log_error_verbosity_terse());
  out.push_back(make_conf_log_file_mode_open());
  out.push_back(make_conf_log_filename_empty());
  out.push_back(make_conf_log_hostname_on());
  out.push_back(make_conf_log_line_prefix_incomplete());
  out.push_back(make_conf_log_line_prefix_without_q());
  out.push_back(make_conf_log_min_error_statement_above_error());
  out.push_back(make_conf_log_min_messages_above_warning());
  out.push_back(make_conf_log_replication_commands_off());
  out.push_back(make_conf_log_rotation_disabled());
  out.push_back(make_conf_log_statement_none());
  out.push_back(make_conf_log_timezone_not_utc());
  out.push_back(make_conf_log_truncate_on_rotation_off());
  out.push_back(make_conf_logging_collector_off());
  out.push_back(make_conf_max_wal_size_default());
  out.push_back(make_conf_memory_setting_small());
  out.push_back(make_conf_password_check_not_loaded());
  out.push_back(make_conf_password_encryption_md5());
  out.push_back(make_conf_pg_stat_statements_not_loaded());
  out.push_back(make_conf_pgaudit_not_loaded());
  out.push_back(make_conf_planner_method_off());
  out.push_back(make_conf_post_auth_delay_set());
  out.push_back(make_conf_syntax_error());
  out.push_back(make_conf_syslog_ident_empty());
  out.push_back(make_conf_syslog_sequence_numbers_off());
  out.push_back(make_conf_syslog_split_messages_off());
  out.push_back(make_conf_temp_file_limit_unset());
  out.push_back(make_conf_template_syntax());
  out.push_back(make_conf_timeout_unset());
  out.push_back(make_conf_track_counts_off());
  out.push_back(make_conf_unix_socket_permissions_open());
  out.push_back(make_conf_unknown_parameter());
  out.push_back(make_conf_wal_archiving_off());
  out.push_back(make_conf_zero_damaged_pages_on());
}

}  // namespace pgl::rules
