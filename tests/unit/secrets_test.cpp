#include "core/secrets.hpp"

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/source.hpp"
#include "parse/parse.hpp"

using pgl::core::mask_secrets;

TEST(Secrets, LibpqPasswordUnquoted) {
  EXPECT_EQ(mask_secrets("host=db user=rep password=s3cret port=5432"), "host=db user=rep password=*** port=5432");
  EXPECT_EQ(mask_secrets("password=s3cret"), "password=***");
}

TEST(Secrets, LibpqPasswordSpacesAroundEquals) {
  EXPECT_EQ(mask_secrets("host=db password = s3cret"), "host=db password = ***");
}

TEST(Secrets, LibpqPasswordQuoted) {
  EXPECT_EQ(mask_secrets("password='with space' user=x"), "password='***' user=x");
  EXPECT_EQ(mask_secrets(R"(password='it\'s' user=x)"), "password='***' user=x");
}

TEST(Secrets, ConninfoInsideConfString) {
  // primary_conninfo = 'host=a password=secret' : the closing conf quote stays.
  EXPECT_EQ(mask_secrets("primary_conninfo = 'host=a password=secret'"), "primary_conninfo = 'host=a password=***'");
  // Doubled quotes inside a conf string quote the libpq value.
  EXPECT_EQ(mask_secrets("primary_conninfo = 'host=a password=''se cret'' user=b'"),
            "primary_conninfo = 'host=a password=''***'' user=b'");
  EXPECT_EQ(mask_secrets(R"(primary_conninfo = 'host=a password=\'se cret\' user=b')"),
            R"(primary_conninfo = 'host=a password=\'***\' user=b')");
}

TEST(Secrets, SslPassword) {
  EXPECT_EQ(mask_secrets("sslpassword=abc sslmode=verify-full"), "sslpassword=*** sslmode=verify-full");
}

TEST(Secrets, KeyMustBeAWord) {
  EXPECT_EQ(mask_secrets("mypassword=abc"), "mypassword=abc");
  EXPECT_EQ(mask_secrets("password_encryption = scram-sha-256"), "password_encryption = scram-sha-256");
  EXPECT_EQ(mask_secrets("host all all 0.0.0.0/0 password"), "host all all 0.0.0.0/0 password");
  EXPECT_EQ(mask_secrets("method \"password\" sends the password in clear text"),
            "method \"password\" sends the password in clear text");
}

TEST(Secrets, PostgresUri) {
  EXPECT_EQ(mask_secrets("postgresql://rep:s3cret@db.example.com:5432/postgres"),
            "postgresql://rep:***@db.example.com:5432/postgres");
  EXPECT_EQ(mask_secrets("x 'postgres://u:p%40ss@h/db?sslmode=require' y"),
            "x 'postgres://u:***@h/db?sslmode=require' y");
  // No password: unchanged.
  EXPECT_EQ(mask_secrets("postgres://u@h/db"), "postgres://u@h/db");
  EXPECT_EQ(mask_secrets("postgres://h:5432/db"), "postgres://h:5432/db");
}

TEST(Secrets, HbaOptions) {
  EXPECT_EQ(
      mask_secrets("host all all 0/0 ldap ldapserver=l ldapbinddn=\"cn=a\" ldapbindpasswd=topsecret ldapport=389"),
      "host all all 0/0 ldap ldapserver=l ldapbinddn=\"cn=a\" ldapbindpasswd=*** ldapport=389");
  EXPECT_EQ(mask_secrets("ldapbindpasswd=\"top secret\" x"), "ldapbindpasswd=\"***\" x");
  EXPECT_EQ(mask_secrets("radius radiusservers=a,b radiussecrets=s1,s2"), "radius radiusservers=a,b radiussecrets=***");
  EXPECT_EQ(mask_secrets("radiussecrets=\"s1,s2\" radiusports=1812"), "radiussecrets=\"***\" radiusports=1812");
}

TEST(Secrets, SslPassphraseCommand) {
  EXPECT_EQ(mask_secrets("ssl_passphrase_command = 'echo hunter2'  # comment"),
            "ssl_passphrase_command = '***'  # comment");
  EXPECT_EQ(mask_secrets("ssl_passphrase_command='echo ''x'''"), "ssl_passphrase_command='***'");
  EXPECT_EQ(mask_secrets("SSL_PASSPHRASE_COMMAND 'cat /k'"), "SSL_PASSPHRASE_COMMAND '***'");
  EXPECT_EQ(mask_secrets("ssl_passphrase_command_supports_reload = on"), "ssl_passphrase_command_supports_reload = on");
}

TEST(Secrets, NothingToMask) {
  EXPECT_EQ(mask_secrets(""), "");
  EXPECT_EQ(mask_secrets("shared_buffers = 128MB"), "shared_buffers = 128MB");
  EXPECT_EQ(mask_secrets("password="), "password=");
  // No '=', no "://", no "_passphrase_command": copied as it is.
  EXPECT_EQ(mask_secrets("host billing_0 all 10.0.0.0/24 password # ssl_passphrase"),
            "host billing_0 all 10.0.0.0/24 password # ssl_passphrase");
  EXPECT_EQ(mask_secrets("x Ssl_Passphrase_Command 'k' y"), "x Ssl_Passphrase_Command '***' y");
}

// The text between secrets is copied in pieces: every byte before, between and after two
// secrets keeps its place, near-misses of each key included.
TEST(Secrets, TextAroundSeveralSecrets) {
  EXPECT_EQ(mask_secrets("pa po ss ld ra p PASSWORD=a1 lpassword=b2 x\tRadiusSecrets=c3,d4 postgres:/ "
                         "postgres://u:e5@h sslpass p"),
            "pa po ss ld ra p PASSWORD=*** lpassword=b2 x\tRadiusSecrets=*** postgres:/ "
            "postgres://u:***@h sslpass p");
  EXPECT_EQ(mask_secrets("xpostgresql://u:s@h"), "xpostgresql://u:***@h");
  EXPECT_EQ(mask_secrets("ldapbindpasswd=q"), "ldapbindpasswd=***");
}

TEST(Secrets, SecretNeverSurvives) {
  for (const char* text :
       {"password=hunter2", "a password='hunter2'", "postgres://u:hunter2@h", "ldapbindpasswd=hunter2",
        "radiussecrets=\"hunter2\"", "ssl_passphrase_command = 'hunter2'", "primary_conninfo='password=hunter2'"}) {
    EXPECT_EQ(mask_secrets(text).find("hunter2"), std::string::npos) << text;
  }
}

// Secrets by structure: the parsers register where a secret is, and excerpts mask exactly
// those bytes (same length). Each case: the file, then each line as an excerpt shows it.
// A quoted value is masked with its quotes (the conninfo parser's value includes them;
// an hba token's raw bytes end after its closing quote).
namespace {

namespace fs = std::filesystem;

class StructuralSecrets : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/pgl-secrets-XXXXXX";
    m_dir = ::mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  std::string write(const std::string& name, const std::string& text) {
    std::string p = m_dir + "/" + name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  // Every line of `path` as an excerpt shows it.
  std::vector<std::string> shown(const std::string& path) {
    const pgl::core::SourceFile* f = m_sources.find(path);
    EXPECT_NE(f, nullptr) << path;
    std::vector<std::string> out;
    for (std::uint32_t n = 1; f != nullptr && n <= f->line_count(); ++n) {
      std::string line(f->line(n));
      m_sources.mask_secrets(path, n, line);
      out.push_back(line);
    }
    return out;
  }
  std::vector<std::string> conf(const std::string& text) {
    const std::string p = write("postgresql.conf", text);
    pgl::parse::ConfParseOptions o;
    o.pg_version = 17;
    o.data_dir = m_dir;
    EXPECT_TRUE(pgl::parse::parse_conf(p, o, m_sources).has_value());
    return shown(p);
  }
  std::vector<std::string> hba(const std::string& text) {
    const std::string p = write("pg_hba.conf", text);
    pgl::parse::AuthParseOptions o;
    o.pg_version = 17;
    (void)pgl::parse::parse_hba(p, o, m_sources);
    return shown(p);
  }
  std::string m_dir;
  pgl::core::SourceSet m_sources;
};

using Lines = std::vector<std::string>;

TEST_F(StructuralSecrets, ConninfoPasswordsExactly) {
  EXPECT_EQ(
      conf("primary_conninfo = 'postgresql://u:pa#ss@h/db'\n"
           "primary_conninfo = 'postgresql://h/db?pass%77ord=SECRET&sslmode=require'\n"
           "primary_conninfo = 'host=h password=''a b'' user=x'\n"
           "primary_conninfo = 'host=h password=a\\\\ b user=x'\n"
           "primary_conninfo = 'host=h sslpassword=k port=5432'\n"
           "primary_conninfo = 'host=h user=x'\n"),
      (Lines{"primary_conninfo = 'postgresql://u:*****@h/db'",
             "primary_conninfo = 'postgresql://h/db?pass%77ord=******&sslmode=require'",
             "primary_conninfo = 'host=h password=******* user=x'", "primary_conninfo = 'host=h password=***** user=x'",
             "primary_conninfo = 'host=h sslpassword=* port=5432'", "primary_conninfo = 'host=h user=x'"}));
}

TEST_F(StructuralSecrets, UnparsableConninfoAndPassphraseCommandWhole) {
  EXPECT_EQ(conf("primary_conninfo = 'host=h password=''a''SECRET'\n"
                 "ssl_passphrase_command = 'echo SECRET' # comment\n"
                 "primary_conninfo = 'mydb'\n"),
            (Lines{"primary_conninfo = *****************************",
                   "ssl_passphrase_command = ************* # comment", "primary_conninfo = 'mydb'"}));
}

TEST_F(StructuralSecrets, SyntaxErrorOnASecretLineMaskedToTheEnd) {
  // ''a\'' is '', a, an escaped quote, then the end of the string: the server's message
  // would quote the next token, SECRET.
  EXPECT_EQ(conf("primary_conninfo = 'host=h password=''a\\''SECRET x'\n"
                 "Primary_Conninfo='a'b'\n"
                 "primary_conninfo_x = 'a'b'\n"),
            (Lines{"primary_conninfo***********************************", "Primary_Conninfo******",
                   "primary_conninfo_x = 'a'b'"}));
}

TEST_F(StructuralSecrets, HbaSecretOptions) {
  EXPECT_EQ(hba("host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=\"\"SECRET ldapbasedn=x\n"
                "host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=ab\"c d\"SECRET ldapbasedn=x\n"
                "host all all 0.0.0.0/0 radius radiusservers=x radiussecrets=a, SECRET\n"
                "host all all 0.0.0.0/0 radius radiusservers=x \"radiussecrets=a,b\" radiusports=1\n"
                "host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=a SECRET ldapbasedn=x\n"
                "host all all 0.0.0.0/0 ldap ldapserver=x ldapbasedn=x\n"),
            (Lines{"host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=******** ldapbasedn=x",
                   "host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=************* ldapbasedn=x",
                   "host all all 0.0.0.0/0 radius radiusservers=x radiussecrets=*, ******",
                   "host all all 0.0.0.0/0 radius radiusservers=x \"radiussecrets=**** radiusports=1",
                   "host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=* ****** ldapbasedn=x",
                   "host all all 0.0.0.0/0 ldap ldapserver=x ldapbasedn=x"}));
}

TEST_F(StructuralSecrets, HbaSecretOnContinuationLines) {
  EXPECT_EQ(hba("host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=ab\\\n"
                " SECRET ldapbasedn=x\n"
                "host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=ab\\\n"
                "SECRET\\\n"
                "MORE ldapbasedn=x\n"),
            (Lines{"host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=**\\", " ****** ldapbasedn=x",
                   "host all all 0.0.0.0/0 ldap ldapserver=x ldapbindpasswd=***", "*******", "**** ldapbasedn=x"}));
}

TEST(SecretSpans, SpansAndLines) {
  using pgl::core::Span;
  pgl::core::SourceSet sources;
  sources.add_secret(Span::at("/x/f.conf", 2, 3, 4));
  sources.add_secret(Span::at("/x/f.conf", 2, 3, 4));  // again: same mask
  Span multi = Span::at("/x/f.conf", 5, 6, 1);
  multi.end_line = 7;
  multi.end_column = 3;
  sources.add_secret(multi);
  auto mask = [&sources](std::uint32_t line, std::string text) {
    sources.mask_secrets("/x/f.conf", line, text);
    return text;
  };
  EXPECT_EQ(mask(1, "abcdefgh"), "abcdefgh");
  EXPECT_EQ(mask(2, "abcdefgh"), "ab****gh");
  EXPECT_EQ(mask(2, "abc"), "ab*");  // a span past the end of the line
  EXPECT_EQ(mask(5, "abcdefgh"), "abcde***");
  EXPECT_EQ(mask(6, "abcdefgh"), "********");
  EXPECT_EQ(mask(7, "abcdefgh"), "**cdefgh");
  EXPECT_TRUE(sources.has_secrets("/x/f.conf"));
  EXPECT_FALSE(sources.has_secrets("/x/other.conf"));
}

// Each configuration owns its spans (diff and check --cluster load several): a span of
// one set masks nothing in another, a moved set keeps its spans, a moved-from one has none.
TEST(SecretSpans, EachSetOwnsItsSpans) {
  using pgl::core::Span;
  pgl::core::SourceSet primary;
  pgl::core::SourceSet replica;
  EXPECT_FALSE(replica.has_secrets("/x/f.conf"));
  primary.add_secret(Span::at("/x/f.conf", 1, 2, 3));
  replica.add_secret(Span::at("/x/f.conf", 1, 6, 2));
  std::string a = "abcdefgh";
  std::string b = "abcdefgh";
  EXPECT_TRUE(primary.mask_secrets("/x/f.conf", 1, a));
  EXPECT_TRUE(replica.mask_secrets("/x/f.conf", 1, b));
  EXPECT_EQ(a, "a***efgh");
  EXPECT_EQ(b, "abcde**h");
  pgl::core::SourceSet moved = std::move(primary);
  std::string c = "abcdefgh";
  EXPECT_TRUE(moved.mask_secrets("/x/f.conf", 1, c));
  EXPECT_EQ(c, "a***efgh");
  std::string d = "abcdefgh";
  EXPECT_FALSE(primary.mask_secrets("/x/f.conf", 1, d));  // NOLINT(bugprone-use-after-move): defined empty
  EXPECT_EQ(d, "abcdefgh");
  EXPECT_FALSE(pgl::core::SourceSet().has_secrets("/x/f.conf"));
}

}  // namespace

// append_masked appends exactly mask_secrets' text after what `out` holds.
TEST(Secrets, AppendMaskedAppendsMaskSecretsText) {
  for (const std::string text : {"plain text", "host=p password=hunter2 user=u", "postgres://u:pw@h/db",
                                 "ldapbindpasswd=s3cret radiussecrets=\"a,b\"", "", "password="}) {
    std::string out = "prefix password=kept ";
    pgl::core::append_masked(out, text);
    EXPECT_EQ(out, "prefix password=kept " + pgl::core::mask_secrets(text)) << text;
  }
  EXPECT_EQ(pgl::core::mask_secrets("host=p password=hunter2").find("hunter2"), std::string::npos);
}
