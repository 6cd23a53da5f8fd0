// `pgconflint __generate man1|man7|bash|zsh|fish FILE` (hidden; run by the build, see
// cmake/install.cmake): the man pages and shell completions, written from the same
// command definitions as --help (describe mode of parse_options) and from the rule
// registry and the embedded rule pages.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/common.hpp"
#include "lint/engine.hpp"
#include "lint/rule.hpp"
#include "pgl_version.hpp"

namespace pgl::cli {

namespace {

std::vector<CommandDoc> all_docs() {
  std::vector<CommandDoc> docs;
  for (const auto& c : commands()) {
    if (c.hidden) {
      continue;
    }
    for (auto& d : describe(c.run)) {
      docs.push_back(std::move(d));
    }
  }
  return docs;
}

std::vector<std::string> rule_ids() {
  std::vector<std::string> ids;
  for (const auto& r : lint::registry()) {
    ids.emplace_back(r->meta().id);
  }
  return ids;
}

// Options whose value is a rule id.
bool takes_rule_id(const OptionDoc& o) {
  return std::find(o.names.begin(), o.names.end(), "--enable") != o.names.end() ||
         std::find(o.names.begin(), o.names.end(), "--disable") != o.names.end() ||
         (o.positional && o.names.front() == "RULE-ID");
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) {
      out += sep;
    }
    out += s;
  }
  return out;
}

// --- roff

// Backslashes and hyphens escaped; non-ASCII characters as \[uXXXX] (groff reads its
// input as Latin-1 unless told otherwise).
std::string roff_escape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      const int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      std::uint32_t cp = len == 4 ? (c & 0x07U) : len == 3 ? (c & 0x0FU) : len == 2 ? (c & 0x1FU) : 0xFFFDU;
      bool ok = len > 1 && i + static_cast<std::size_t>(len) <= s.size();
      for (int k = 1; ok && k < len; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        ok = (cc & 0xC0) == 0x80;
        cp = (cp << 6) | (cc & 0x3FU);
      }
      if (!ok) {
        cp = 0xFFFD;
      } else {
        i += static_cast<std::size_t>(len - 1);
      }
      out += fmt::format("\\[u{:04X}]", cp);
    }
  }
  return out;
}

// A text line: escaped, `code` in bold, never starting with a control character.
std::string roff_line(std::string_view s) {
  std::string out;
  bool code = false;
  std::size_t start = 0;
  for (;;) {
    const auto tick = s.find('`', start);
    out += roff_escape(s.substr(start, tick == std::string_view::npos ? std::string_view::npos : tick - start));
    if (tick == std::string_view::npos) {
      break;
    }
    out += code ? "\\fR" : "\\fB";
    code = !code;
    start = tick + 1;
  }
  if (code) {
    out += "\\fR";
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) {
    out = "\\&" + out;
  }
  return out;
}

std::string man1(const std::vector<CommandDoc>& docs) {
  std::string out = fmt::format(
      ".TH PGCONFLINT 1 \"\" \"pgconflint {}\" \"User Commands\"\n"
      ".SH NAME\npgconflint \\- lint PostgreSQL configuration files\n"
      ".SH SYNOPSIS\n.B pgconflint\n[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR] [\\fIPATH\\fR...]\n"
      ".br\n.B pgconflint help\n[\\fICOMMAND\\fR]\n"
      ".SH DESCRIPTION\n"
      "pgconflint reads postgresql.conf (with its includes and postgresql.auto.conf), pg_hba.conf, "
      "pg_ident.conf and the TLS files the ssl settings name, the way the PostgreSQL server of each "
      "major version from 12 to 18 does, and reports each finding with its rule id, severity, file, "
      "line and column, and the fix. Without a command, the arguments are those of \\fBcheck\\fR.\n"
      ".SH COMMANDS\n",
      PGL_VERSION);
  for (const auto& c : commands()) {
    if (!c.hidden) {
      out += fmt::format(".TP\n.B {}\n{}\n", roff_escape(c.name), roff_line(c.summary));
    }
  }
  out +=
      ".SH OPTIONS\n.TP\n.BR \\-h \", \" \\-\\-help\nprint the help and exit\n"
      ".TP\n.BR \\-V \", \" \\-\\-version\nprint the version and exit\n";
  for (const auto& d : docs) {
    out += fmt::format(".SS \"pgconflint {}\"\n{}\n", roff_escape(d.name), roff_line(d.description));
    for (const auto& o : d.options) {
      if (!o.positional && o.names.front() == "-h") {
        continue;
      }
      std::string head;
      for (const auto& n : o.names) {
        if (!head.empty()) {
          head += ", ";
        }
        head += o.positional ? fmt::format("\\fI{}\\fR", roff_escape(n)) : fmt::format("\\fB{}\\fR", roff_escape(n));
      }
      if (!o.positional && !o.value_name.empty()) {
        head += fmt::format(" \\fI{}\\fR", roff_escape(o.value_name));
      }
      std::string text = roff_line(o.description);
      if (!o.choices.empty()) {
        text += roff_escape(fmt::format(" (one of: {})", join(o.choices, ", ")));
      }
      if (!o.default_value.empty()) {
        text += roff_escape(fmt::format(" [default: {}]", o.default_value));
      }
      out += fmt::format(".TP\n{}\n{}\n", head, text);
    }
  }
  out +=
      ".SH EXIT STATUS\n.TP\n.B 0\nno finding at or above \\-\\-fail\\-on\n"
      ".TP\n.B 1\nfindings at or above \\-\\-fail\\-on\n"
      ".TP\n.B 2\nusage error, unreadable input or internal error\n"
      ".SH FILES\n.TP\n.I .pgconflint.toml\nproject configuration, found by walking up from each checked path\n"
      ".SH SEE ALSO\n.BR pgconflint\\-rules (7),\n.BR postgres (1)\n";
  return out;
}

std::string man7() {
  std::string out = fmt::format(
      ".TH PGCONFLINT\\-RULES 7 \"\" \"pgconflint {}\" \"Miscellaneous\"\n"
      ".SH NAME\npgconflint\\-rules \\- the rules of pgconflint\n"
      ".SH DESCRIPTION\nEvery rule of \\fBpgconflint\\fR(1), with its documentation page "
      "(\\fBpgconflint explain\\fR \\fIID\\fR prints the same).\n",
      PGL_VERSION);
  for (const auto& r : lint::registry()) {
    const auto& m = r->meta();
    out += fmt::format(".SH {}\n\\fIseverity\\fR {}, \\fIprofile\\fR {}: {}\n", roff_escape(m.id),
                       core::to_string(m.default_severity), lint::to_string(m.profile), roff_line(m.summary));
    const auto doc = lint::rule_doc(m.id);
    if (!doc) {
      continue;
    }
    bool fence = false;
    std::size_t start = 0;
    while (start <= doc->size()) {
      auto end = doc->find('\n', start);
      if (end == std::string_view::npos) {
        end = doc->size();
      }
      const std::string_view line = doc->substr(start, end - start);
      start = end + 1;
      if (line.starts_with("```")) {
        out += fence ? ".fi\n.RE\n" : ".RS 4\n.nf\n";
        fence = !fence;
      } else if (fence) {
        std::string l = roff_escape(line);
        out += (l.starts_with(".") || l.starts_with("'") ? "\\&" : "") + l + "\n";
      } else if (line.starts_with("# ")) {
        continue;  // the title is the section name
      } else if (line.starts_with("## ")) {
        out += fmt::format(".SS \"{}\"\n", roff_escape(line.substr(3)));
      } else if (line.starts_with("- ") || line.starts_with("* ")) {
        out += ".IP \\(bu 2\n" + roff_line(line.substr(2)) + "\n";
      } else if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
        out += ".PP\n";
      } else {
        out += roff_line(line) + "\n";
      }
      if (end == doc->size()) {
        break;
      }
    }
    if (fence) {
      out += ".fi\n.RE\n";
    }
  }
  out += ".SH SEE ALSO\n.BR pgconflint (1)\n";
  return out;
}

// --- completions: one key per command ("check", "dump_hba")

std::string key_of(const std::string& name) {
  std::string k = name;
  std::replace(k.begin(), k.end(), ' ', '_');
  return k;
}

std::vector<std::string> option_names(const CommandDoc& d) {
  std::vector<std::string> names;
  for (const auto& o : d.options) {
    if (!o.positional) {
      for (const auto& n : o.names) {
        if (n.starts_with("--")) {
          names.push_back(n);
        }
      }
    }
  }
  return names;
}

// The words a value of `o` completes to; "" = files.
std::string value_words(const OptionDoc& o, const std::vector<std::string>& ids) {
  if (takes_rule_id(o)) {
    return join(ids, " ");
  }
  return join(o.choices, " ");
}

std::vector<std::string> visible_commands() {
  std::vector<std::string> out;
  for (const auto& c : commands()) {
    if (!c.hidden) {
      out.emplace_back(c.name);
    }
  }
  return out;
}

std::string bash(const std::vector<CommandDoc>& docs) {
  const auto ids = rule_ids();
  std::string out =
      "# bash completion for pgconflint (generated by pgconflint __generate bash)\n"
      "_pgconflint() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\"\n"
      "  ((COMP_CWORD > 0)) && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  local commands=\"" +
      join(visible_commands(), " ") +
      "\"\n"
      "  local cmd=check first=1\n"
      "  if ((COMP_CWORD > 1)) && [[ \" $commands \" == *\" ${COMP_WORDS[1]} \"* ]]; then\n"
      "    cmd=\"${COMP_WORDS[1]}\"; first=2\n"
      "    if [[ $cmd == dump ]] && ((COMP_CWORD > 2)); then cmd=\"dump_${COMP_WORDS[2]}\"; first=3; fi\n"
      "  fi\n"
      "  local opts=\"\" values=\"\" positional=files\n"
      "  case \"$cmd\" in\n";
  for (const auto& d : docs) {
    out += "    " + key_of(d.name) + ")\n";
    out += "      opts=\"" + join(option_names(d), " ") + " --help\"\n";
    out += "      case \"$prev\" in\n";
    for (const auto& o : d.options) {
      if (o.positional || o.value_name.empty()) {
        continue;
      }
      std::vector<std::string> pattern;
      for (const auto& n : o.names) {
        pattern.push_back(n);
      }
      const std::string words = value_words(o, ids);
      out += "        " + join(pattern, "|") + ") values=\"" + (words.empty() ? "__files" : words) + "\" ;;\n";
    }
    out += "      esac\n";
    for (const auto& o : d.options) {
      if (o.positional) {
        if (takes_rule_id(o)) {
          out += "      positional=\"" + join(ids, " ") + "\"\n";
        } else if (!o.choices.empty()) {
          out += "      positional=\"" + join(o.choices, " ") + "\"\n";
        }
        break;
      }
    }
    out += "      ;;\n";
  }
  out +=
      "    dump) positional=\"hba conf ident\"; opts=\"--help\" ;;\n"
      "  esac\n"
      "  if [[ -n $values ]]; then\n"
      "    if [[ $values == __files ]]; then COMPREPLY=($(compgen -f -- \"$cur\"));\n"
      "    else COMPREPLY=($(compgen -W \"$values\" -- \"$cur\")); fi\n"
      "    return 0\n"
      "  fi\n"
      "  if [[ $cur == -* ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
      "  elif ((COMP_CWORD == 1)); then\n"
      "    COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
      "  elif [[ $positional == files ]]; then\n"
      "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "  else\n"
      "    COMPREPLY=($(compgen -W \"$positional\" -- \"$cur\"))\n"
      "  fi\n"
      "  return 0\n"
      "}\n"
      "complete -o filenames -F _pgconflint pgconflint\n";
  return out;
}

std::string zsh_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

std::string zsh(const std::vector<CommandDoc>& docs) {
  const auto ids = rule_ids();
  std::string out =
      "#compdef pgconflint\n"
      "# zsh completion for pgconflint (generated by pgconflint __generate zsh)\n"
      "_pgconflint() {\n"
      "  local cur=${words[CURRENT]} prev=${words[CURRENT-1]}\n"
      "  local -a commands=(\n";
  for (const auto& c : commands()) {
    if (!c.hidden) {
      out += "    " + zsh_quote(std::string(c.name) + ":" + std::string(c.summary)) + "\n";
    }
  }
  out +=
      "  )\n"
      "  local cmd=check\n"
      "  if (( CURRENT > 2 )) && (( ${+commands[(r)${words[2]}:*]} )); then\n"
      "    cmd=${words[2]}\n"
      "    if [[ $cmd == dump ]] && (( CURRENT > 3 )); then cmd=dump_${words[3]}; fi\n"
      "  fi\n"
      "  local -a opts values positional\n"
      "  local files=1\n"
      "  case $cmd in\n";
  for (const auto& d : docs) {
    out += "    " + key_of(d.name) + ")\n";
    out += "      opts=(" + join(option_names(d), " ") + " --help)\n";
    out += "      case $prev in\n";
    for (const auto& o : d.options) {
      if (o.positional || o.value_name.empty()) {
        continue;
      }
      const std::string words = value_words(o, ids);
      out += "        " + join(o.names, "|") + ") values=(" + (words.empty() ? "__files" : words) + ") ;;\n";
    }
    out += "      esac\n";
    for (const auto& o : d.options) {
      if (o.positional) {
        if (takes_rule_id(o)) {
          out += "      positional=(" + join(ids, " ") + "); files=0\n";
        } else if (!o.choices.empty()) {
          out += "      positional=(" + join(o.choices, " ") + "); files=0\n";
        }
        break;
      }
    }
    out += "      ;;\n";
  }
  out +=
      "    dump) positional=(hba conf ident); files=0; opts=(--help) ;;\n"
      "  esac\n"
      "  if (( ${#values} )); then\n"
      "    if [[ ${values[1]} == __files ]]; then _files; else compadd -a values; fi\n"
      "    return\n"
      "  fi\n"
      "  if [[ $cur == -* ]]; then\n"
      "    compadd -a opts\n"
      "  elif (( CURRENT == 2 )); then\n"
      "    _describe -t commands 'pgconflint command' commands\n"
      "    _files\n"
      "  elif (( files )); then\n"
      "    _files\n"
      "  else\n"
      "    compadd -a positional\n"
      "  fi\n"
      "}\n"
      "_pgconflint \"$@\"\n";
  return out;
}

std::string fish_quote(std::string_view s) {
  return zsh_quote(s);
}

std::string fish(const std::vector<CommandDoc>& docs) {
  const auto ids = rule_ids();
  const std::string all = join(visible_commands(), " ");
  std::string out =
      "# fish completion for pgconflint (generated by pgconflint __generate fish)\n"
      "complete -c pgconflint -f\n";
  for (const auto& c : commands()) {
    if (!c.hidden) {
      out += fmt::format("complete -c pgconflint -n 'not __fish_seen_subcommand_from {}' -a {} -d {}\n", all, c.name,
                         fish_quote(c.summary));
    }
  }
  out +=
      "complete -c pgconflint -n '__fish_seen_subcommand_from dump' -a 'hba conf ident'\n"
      "complete -c pgconflint -n '__fish_seen_subcommand_from help' -a " +
      fish_quote(all) + "\n";
  for (const auto& d : docs) {
    std::string cond;
    if (d.name == "check") {
      cond = fmt::format("not __fish_seen_subcommand_from {}",
                         join(std::vector<std::string>{"dump", "diff", "rules", "explain", "help"}, " "));
    } else if (d.name.starts_with("dump ")) {
      cond = fmt::format("__fish_seen_subcommand_from dump; and __fish_seen_subcommand_from {}", d.name.substr(5));
    } else {
      cond = "__fish_seen_subcommand_from " + d.name;
    }
    for (const auto& o : d.options) {
      if (o.positional) {
        if (takes_rule_id(o)) {
          out += fmt::format("complete -c pgconflint -n {} -a {}\n", fish_quote(cond), fish_quote(join(ids, " ")));
        } else if (o.choices.empty()) {
          out += fmt::format("complete -c pgconflint -n {} -F\n", fish_quote(cond));
        }
        continue;
      }
      std::string line = fmt::format("complete -c pgconflint -n {}", fish_quote(cond));
      for (const auto& n : o.names) {
        line += n.starts_with("--") ? " -l " + n.substr(2) : " -s " + n.substr(1);
      }
      if (!o.value_name.empty()) {
        const std::string words = value_words(o, ids);
        line += words.empty() ? " -r -F" : " -x -a " + fish_quote(words);
      }
      line += " -d " + fish_quote(o.description);
      out += line + "\n";
    }
  }
  return out;
}

}  // namespace

int cmd_generate(const std::vector<std::string>& args) {
  std::string kind;
  std::string file;
  CLI::App app{"Write a man page or a shell completion script.", "pgconflint __generate"};
  app.add_option("KIND", kind, "what to write")
      ->required()
      ->check(CLI::IsMember({"man1", "man7", "bash", "zsh", "fish"}));
  app.add_option("FILE", file, "file to write (default: standard output)");
  if (describing()) {
    return k_exit_ok;
  }
  if (auto done = parse_options(app, args, "__generate")) {
    return *done;
  }
  const auto docs = all_docs();
  std::string text;
  if (kind == "man1") {
    text = man1(docs);
  } else if (kind == "man7") {
    text = man7();
  } else if (kind == "bash") {
    text = bash(docs);
  } else if (kind == "zsh") {
    text = zsh(docs);
  } else {
    text = fish(docs);
  }
  if (file.empty()) {
    fmt::print("{}", text);
    return k_exit_ok;
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ec);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    return input_error(fmt::format("cannot write \"{}\"", file));
  }
  return k_exit_ok;
}

}  // namespace pgl::cli
