#include "analysis/conf_support.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <fmt/format.h>

#include "analysis/template_detect.hpp"
#include "conf/guc.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"

namespace pgl::analysis {

core::Span whole_file(const std::string& file) {
  return core::Span{core::Location{file, 0, 0}, 0, 0};
}

core::Span setting_value_span(const model::Config& config, const std::string& name) {
  if (const auto* s = config.setting(name); s != nullptr && s->entry != nullptr) {
    return s->entry->value_span;
  }
  return whole_file(config.conf ? config.conf->main_file : std::string());
}

std::string line_ref(const model::ConfEntry& entry) {
  return fmt::format("{} line {}", std::filesystem::path(entry.file).filename().string(), entry.line);
}

std::uint32_t value_column(const model::ConfEntry& entry, std::size_t offset) {
  const std::uint32_t base = entry.value_span.begin.column;
  const std::string& raw = entry.raw_value;
  if (!entry.quoted || raw.size() < 2) {
    return base + static_cast<std::uint32_t>(std::min(offset, raw.size()));
  }
  // Replay DeescapeQuotedString: count raw bytes consumed per output byte.
  std::size_t out = 0;
  std::size_t i = 1;
  const std::size_t end = raw.size() - 1;
  while (i < end && out < offset) {
    if (raw[i] == '\\' && i + 1 < end) {
      std::size_t j = i + 1;
      if (raw[j] >= '0' && raw[j] <= '7') {
        std::size_t k = 0;
        while (k < 3 && j < end && raw[j] >= '0' && raw[j] <= '7') {
          ++j;
          ++k;
        }
        i = j;
      } else {
        i += 2;
      }
    } else if (raw[i] == '\'' && i + 1 < end && raw[i + 1] == '\'') {
      i += 2;
    } else {
      ++i;
    }
    ++out;
  }
  return base + static_cast<std::uint32_t>(i);
}

core::Span value_sub_span(const model::ConfEntry& entry, std::size_t offset, std::size_t length) {
  const std::uint32_t b = value_column(entry, offset);
  const std::uint32_t e = value_column(entry, offset + length);
  core::Span s;
  s.begin = core::Location{entry.value_span.begin.file, entry.value_span.begin.line, b};
  s.end_line = entry.value_span.begin.line;
  s.end_column = e > b ? e : b + 1;
  return s;
}

std::optional<bool> ssl_setting(const model::Config& config) {
  if (!config.conf) {
    return std::nullopt;
  }
  return parse_bool(core::trim(config.value_or_default("ssl")));
}

bool is_secret_parameter(std::string_view name) {
  const std::string n = lower(name);
  return n.find("conninfo") != std::string::npos || n.find("password") != std::string::npos ||
         n.find("passphrase") != std::string::npos || n.find("secret") != std::string::npos;
}

std::string display_value(std::string_view name, std::string_view value) {
  if (is_secret_parameter(name)) {
    return "***";
  }
  return core::mask_secrets(value);
}

int message_level_rank(std::string_view level) {
  static constexpr std::string_view k_levels[] = {"debug5", "debug4",  "debug3", "debug2", "debug1", "info",
                                                  "notice", "warning", "error",  "log",    "fatal",  "panic"};
  const std::string l = lower(level);
  if (l == "debug") {
    return 3;
  }
  for (std::size_t i = 0; i < std::size(k_levels); ++i) {
    if (k_levels[i] == l) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::string SettingView::describe() const {
  if (entry != nullptr) {
    return fmt::format("{} = {}", name, display_value(name, value.empty() ? "''" : value));
  }
  std::string shown = value.empty() ? std::string("''") : display_value(name, value);
  if (shown == "true" || shown == "false") {  // boot values of booleans
    shown = shown == "true" ? "on" : "off";
  }
  return fmt::format("{} is not set (default {})", name, shown);
}

std::optional<SettingView> bool_setting_is(const model::Config& config, const std::string& name, bool value) {
  auto v = view_setting(config, name);
  if (!v || (v->entry != nullptr && is_template_entry(config, *v->entry))) {
    return std::nullopt;
  }
  const auto b = parse_bool(v->value);
  if (!b || *b != value) {
    return std::nullopt;
  }
  return v;
}

std::optional<SettingView> syslog_option_off(const model::Config& config, const std::string& name) {
  if (!logs_to(config, "syslog")) {
    return std::nullopt;  // only messages sent to syslog are concerned
  }
  return bool_setting_is(config, name, false);
}

std::vector<std::string> preload_library_names(std::string_view list) {
  std::vector<std::string> out;
  std::string item;
  bool quoted = false;
  bool was_quoted = false;
  auto finish = [&] {
    std::string name = was_quoted ? item : std::string(trim(item));
    if (const auto slash = name.rfind('/'); slash != std::string::npos) {
      name.erase(0, slash + 1);
    }
    if (name.ends_with(".so")) {
      name.resize(name.size() - 3);
    }
    if (!name.empty()) {
      out.push_back(ascii_lower(name));
    }
    item.clear();
    was_quoted = false;
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (c == '"') {
      if (quoted && i + 1 < list.size() && list[i + 1] == '"') {
        item += '"';  // "" inside quotes is one quote
        ++i;
      } else {
        quoted = !quoted;
        was_quoted = true;
      }
    } else if (c == ',' && !quoted) {
      finish();
    } else if (quoted || !(c == ' ' || c == '\t' || c == '\n' || c == '\r') || !item.empty()) {
      item += c;
    }
  }
  finish();
  return out;
}

std::optional<SettingView> preload_lacks(const model::Config& config, const std::vector<std::string_view>& libraries) {
  auto v = view_setting(config, "shared_preload_libraries");
  if (!v || (v->entry != nullptr && is_template_entry(config, *v->entry))) {
    return std::nullopt;
  }
  for (const auto& name : preload_library_names(v->value)) {
    if (std::find(libraries.begin(), libraries.end(), name) != libraries.end()) {
      return std::nullopt;
    }
  }
  return v;
}

std::optional<SettingView> view_setting(const model::Config& config, const std::string& name) {
  if (!config.conf || conf::find_guc(config.pg_version, name) == nullptr) {
    return std::nullopt;
  }
  SettingView v;
  v.name = name;
  if (const auto* s = config.setting(name); s != nullptr && s->entry != nullptr) {
    v.value = s->value;
    v.entry = s->entry;
    v.span = s->entry->value_span;
  } else {
    v.value = config.value_or_default(name);
    v.span = whole_file(config.conf->main_file);
  }
  return v;
}

bool is_template_entry(const model::Config& config, const model::ConfEntry& entry) {
  const auto* src = config.sources.find(entry.file);
  if (src == nullptr || entry.line == 0 || entry.line > src->line_count()) {
    return false;
  }
  TemplateDetectOptions opt;
  opt.conf_format = true;
  opt.pg_version = config.pg_version;
  return !template_lines(src->line(entry.line), opt).empty();
}

// The value in the parameter's base unit (integers: decimal, octal 0600, units), if valid.
std::optional<long long> base_integer(const model::Config& config, const SettingView& v) {
  const conf::GucDef* def = conf::find_guc(config.pg_version, v.name);
  if (def == nullptr) {
    return std::nullopt;
  }
  const conf::ValueCheck c = conf::check_value(config.pg_version, *def, v.value);
  if (!c.ok) {
    return std::nullopt;
  }
  try {
    return std::stoll(c.normalized);
  } catch (...) {
    return std::nullopt;
  }
}

// log_destination names `dest` (comma-separated list, case-insensitive).
bool logs_to(const model::Config& config, std::string_view dest) {
  const std::string list = lower(config.value_or_default("log_destination"));
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) {
      end = list.size();
    }
    std::string item = list.substr(start, end - start);
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
    if (item == dest) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

bool is_on(const model::Config& config, const std::string& name) {
  const auto b = parse_bool(config.value_or_default(name));
  return b && *b;
}

}  // namespace pgl::analysis
