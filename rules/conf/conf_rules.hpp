// Factories of the rules of area conf (postgresql.conf), for registry_conf.cpp.
#pragma once

#include <memory>

#include "lint/rule.hpp"

namespace pgl::rules {
std::unique_ptr<lint::Rule> make_conf_allow_system_table_mods_on();
std::unique_ptr<lint::Rule> make_conf_archive_command_noop();
std::unique_ptr<lint::Rule> make_conf_auth_delay_missing();
std::unique_ptr<lint::Rule> make_conf_authentication_timeout_long();
std::unique_ptr<lint::Rule> make_conf_autovacuum_off();
std::unique_ptr<lint::Rule> make_conf_debug_pretty_print_off();
std::unique_ptr<lint::Rule> make_conf_debug_print_enabled();
std::unique_ptr<lint::Rule> make_conf_duplicate_setting();
std::unique_ptr<lint::Rule> make_conf_fsync_off();
std::unique_ptr<lint::Rule> make_conf_full_page_writes_off();
std::unique_ptr<lint::Rule> make_conf_ignore_system_indexes_on();
std::unique_ptr<lint::Rule> make_conf_include_missing();
std::unique_ptr<lint::Rule> make_conf_internal_parameter();
std::unique_ptr<lint::Rule> make_conf_invalid_value();
std::unique_ptr<lint::Rule> make_conf_jit_debug_support_on();
std::unique_ptr<lint::Rule> make_conf_listen_addresses_invalid();
std::unique_ptr<lint::Rule> make_conf_listen_all();
std::unique_ptr<lint::Rule> make_conf_log_connections_off();
std::unique_ptr<lint::Rule> make_conf_log_destination_empty();
std::unique_ptr<lint::Rule> make_conf_log_directory_empty();
std::unique_ptr<lint::Rule> make_conf_log_directory_in_data();
std::unique_ptr<lint::Rule> make_conf_log_disconnections_off();
std::unique_ptr<lint::Rule> make_conf_log_duration_off();
std::unique_ptr<lint::Rule> make_conf_log_error_verbosity_not_verbose();
std::unique_ptr<lint::Rule> make_conf_log_error_verbosity_terse();
std::unique_ptr<lint::Rule> make_conf_log_file_mode_open();
std::unique_ptr<lint::Rule> make_conf_log_filename_empty();
std::unique_ptr<lint::Rule> make_conf_log_hostname_on();
std::unique_ptr<lint::Rule> make_conf_log_line_prefix_incomplete();
std::unique_ptr<lint::Rule> make_conf_log_line_prefix_without_q();
std::unique_ptr<lint::Rule> make_conf_log_min_error_statement_above_error();
std::unique_ptr<lint::Rule> make_conf_log_min_messages_above_warning();
std::unique_ptr<lint::Rule> make_conf_log_replication_commands_off();
std::unique_ptr<lint::Rule> make_conf_log_rotation_disabled();
std::unique_ptr<lint::Rule> make_conf_log_statement_none();
std::unique_ptr<lint::Rule> make_conf_log_timezone_not_utc();
std::unique_ptr<lint::Rule> make_conf_log_truncate_on_rotation_off();
std::unique_ptr<lint::Rule> make_conf_logging_collector_off();
std::unique_ptr<lint::Rule> make_conf_max_wal_size_default();
std::unique_ptr<lint::Rule> make_conf_memory_setting_small();
std::unique_ptr<lint::Rule> make_conf_password_check_not_loaded();
std::unique_ptr<lint::Rule> make_conf_password_encryption_md5();
std::unique_ptr<lint::Rule> make_conf_pg_stat_statements_not_loaded();
std::unique_ptr<lint::Rule> make_conf_pgaudit_not_loaded();
std::unique_ptr<lint::Rule> make_conf_planner_method_off();
std::unique_ptr<lint::Rule> make_conf_post_auth_delay_set();
std::unique_ptr<lint::Rule> make_conf_syntax_error();
std::unique_ptr<lint::Rule> make_conf_syslog_ident_empty();
std::unique_ptr<lint::Rule> make_conf_syslog_sequence_numbers_off();
std::unique_ptr<lint::Rule> make_conf_syslog_split_messages_off();
std::unique_ptr<lint::Rule> make_conf_temp_file_limit_unset();
std::unique_ptr<lint::Rule> make_conf_template_syntax();
std::unique_ptr<lint::Rule> make_conf_timeout_unset();
std::unique_ptr<lint::Rule> make_conf_track_counts_off();
std::unique_ptr<lint::Rule> make_conf_unix_socket_permissions_open();
std::unique_ptr<lint::Rule> make_conf_unknown_parameter();
std::unique_ptr<lint::Rule> make_conf_wal_archiving_off();
std::unique_ptr<lint::Rule> make_conf_zero_damaged_pages_on();
}  // namespace pgl::rules
