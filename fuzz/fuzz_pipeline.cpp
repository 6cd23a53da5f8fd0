// Full pipeline with the secrets oracle: `check` in every output format and `dump` of
// every kind over a configuration directory built from the input, with a password
// planted in password positions (primary_conninfo key/value and URI forms,
// ssl_passphrase_command, ldapbindpasswd, radiussecrets). No output may contain it.
//
// Input: the first line shapes the password (its characters follow the marker, so
// quotes, escapes, '#', '%' and the like are tried); the rest, up to a 0x1e byte, is
// appended to postgresql.conf, and what follows it to pg_hba.conf.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli.hpp"
#include "harness.hpp"

namespace {

std::string conf_quote(std::string_view s) {  // a postgresql.conf string: '' for '
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("''") : c == '\\' ? std::string("\\\\") : std::string(1, c);
  }
  return out + "'";
}

std::string conninfo_quote(std::string_view s) {  // a conninfo value: \' and \\ inside quotes
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

std::string percent_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

int run_cli(std::vector<std::string> args) {
  std::vector<char*> argv;
  static std::string prog = "pgconflint";
  argv.push_back(prog.data());
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  return pgl::cli::run(static_cast<int>(argv.size() - 1), argv.data());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pgl::fuzz;
  new_run();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.find(k_marker) != std::string_view::npos) {
    return 0;  // the marker in the configuration itself would be shown, rightly
  }
  const std::size_t nl = input.find('\n');
  const std::string_view shape = input.substr(0, nl == std::string_view::npos ? input.size() : nl);
  const std::string_view rest = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  const std::size_t sep = rest.find('\x1e');
  const std::string_view conf_body = rest.substr(0, sep);
  const std::string_view hba_body = sep == std::string_view::npos ? std::string_view() : rest.substr(sep + 1);

  // The password: the marker, then the shape's printable characters (no blank in the
  // hba token, no double quote there either: the hba token is quoted with them).
  std::string password(k_marker);
  std::string hba_password(k_marker);
  for (char c : shape.substr(0, 24)) {
    if (c > ' ' && c < 127) {
      password += c;
      if (c != '"' && c != ',') {
        hba_password += c;
      }
    }
  }
  const int version = 12 + static_cast<int>(shape.size() % 7);
  std::string conf =
      "primary_conninfo = " + conf_quote("host=primary user=rep password=" + conninfo_quote(password)) + "\n";
  conf += "#primary_conninfo = " +
          conf_quote("postgresql://rep:" + percent_encode(password) + "@primary:5432/db?sslmode=require") + "\n";
  conf += "ssl_passphrase_command = " + conf_quote("/bin/echo " + password) + "\n";
  conf += std::string(conf_body) + "\n";
  std::string hba =
      "host all all 0.0.0.0/0 ldap ldapserver=ldap.example.com ldapbasedn=\"dc=example\" ldapbinddn=\"cn=x\" "
      "ldapbindpasswd=\"" +
      hba_password + "\"\n";
  hba += "host all all ::1/128 radius radiusservers=radius.example.com radiussecrets=\"" + hba_password + "\"\n";
  hba += std::string(hba_body) + "\n";
  write_file("postgresql.conf", conf);
  write_file("pg_hba.conf", hba);
  write_file("pg_ident.conf", "m alice alice\n");
  write_file("PG_VERSION", std::to_string(version) + "\n");
  const std::string& dir = work_dir();
  for (const char* format : {"text", "json", "sarif", "github"}) {
    const std::string out = capture([&] { (void)run_cli({"check", dir, "--format", format, "--color", "never"}); });
    assert_no_secret(out, std::string("check --format ") + format);
  }
  for (const char* kind : {"conf", "hba", "ident"}) {
    const std::string file = dir + (std::string(kind) == "conf"  ? "/postgresql.conf"
                                    : std::string(kind) == "hba" ? "/pg_hba.conf"
                                                                 : "/pg_ident.conf");
    const std::string out = capture([&] { (void)run_cli({"dump", kind, file}); });
    assert_no_secret(out, std::string("dump ") + kind);
  }
  return 0;
}
