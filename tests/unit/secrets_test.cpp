#include "core/secrets.hpp"

#include <gtest/gtest.h>

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
}

TEST(Secrets, SecretNeverSurvives) {
  for (const char* text :
       {"password=hunter2", "a password='hunter2'", "postgres://u:hunter2@h", "ldapbindpasswd=hunter2",
        "radiussecrets=\"hunter2\"", "ssl_passphrase_command = 'hunter2'", "primary_conninfo='password=hunter2'"}) {
    EXPECT_EQ(mask_secrets(text).find("hunter2"), std::string::npos) << text;
  }
}
