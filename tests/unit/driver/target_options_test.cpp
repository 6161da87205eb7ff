// The --target flags as `run` and `bench` register them: what a parse leaves in the TargetSpec,
// and the one-line refusals, all before any connection.
#include "driver/target_options.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <cstdlib>

namespace redproof {
namespace {

// Parses `args` after a "cmd" subcommand; the error text, or "" when the parse succeeded.
std::string parse(std::vector<std::string> args, TargetSpec& spec) {
  CLI::App app;
  CLI::App* cmd = app.add_subcommand("cmd");
  add_target_options(*cmd, spec);
  args.insert(args.begin(), "cmd");
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

class TargetOptions : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("REDPROOF_PASSWORD"); }
  void TearDown() override { unsetenv("REDPROOF_PASSWORD"); }
  TargetSpec spec;
};

TEST_F(TargetOptions, NoTargetNoSecurity) {
  EXPECT_EQ(parse({}, spec), "");
  EXPECT_TRUE(spec.text.empty());
  EXPECT_EQ(spec.security, nullptr);
}

TEST_F(TargetOptions, UserAndPasswordBecomeTheAuthCommand) {
  EXPECT_EQ(parse({"--target", "127.0.0.1:7000", "--user", "alice", "--password", "pw"}, spec), "");
  ASSERT_NE(spec.security, nullptr);
  EXPECT_EQ(spec.security->auth_command(), (std::vector<std::string>{"AUTH", "alice", "pw"}));
  EXPECT_EQ(spec.security->tls, nullptr);
  EXPECT_FALSE(spec.remote);
}

TEST_F(TargetOptions, ThePasswordCanComeFromTheEnvironment) {
  setenv("REDPROOF_PASSWORD", "from-env", 1);
  EXPECT_EQ(parse({"--target", "localhost:7000"}, spec), "");
  ASSERT_NE(spec.security, nullptr);
  EXPECT_EQ(spec.security->auth_command(), (std::vector<std::string>{"AUTH", "from-env"}));
}

TEST_F(TargetOptions, FlagsWithoutTheirCompanionAreRefused) {
  EXPECT_NE(parse({"--user", "alice"}, spec).find("--user goes with --target"), std::string::npos);
  EXPECT_NE(parse({"--target", "127.0.0.1:1", "--cacert", "x.pem"}, spec)
                .find("--cacert goes with --tls"),
            std::string::npos);
  EXPECT_NE(parse({"--target", "127.0.0.1:1", "--user", "alice"}, spec).find("needs a password"),
            std::string::npos);
  EXPECT_NE(parse({"--target", "127.0.0.1:1", "--password", "a", "--password-file", "f"}, spec)
                .find("give one of them"),
            std::string::npos);
}

TEST_F(TargetOptions, AnUnreadableCaFileIsNamed) {
  const std::string why =
      parse({"--target", "127.0.0.1:1", "--tls", "--cacert", "/nonexistent/ca.pem"}, spec);
  EXPECT_NE(why.find("--cacert /nonexistent/ca.pem: cannot be loaded"), std::string::npos) << why;
}

TEST_F(TargetOptions, ARemoteTargetNeedsAllowRemote) {
  const std::string why = parse({"--target", "10.1.2.3:6379", "--password", "pw"}, spec);
  EXPECT_NE(why.find("--allow-remote"), std::string::npos) << why;
  EXPECT_EQ(why.find("pw"), std::string::npos) << why;
  EXPECT_NE(parse({"--target", "redis.example.com:6379"}, spec).find("--allow-remote"),
            std::string::npos);
  TargetSpec allowed;
  EXPECT_EQ(parse({"--target", "10.1.2.3:6379", "--allow-remote"}, allowed), "");
  EXPECT_TRUE(allowed.remote);
}

}  // namespace
}  // namespace redproof

namespace redproof {
namespace {

// ps and /proc/PID/cmdline read argv's memory: the password's bytes are overwritten there.
TEST(HidePasswordArguments, OverwritesBothFormsAndNothingElse) {
  std::string a0 = "redproof", a1 = "run", a2 = "--password", a3 = "s3cret", a4 = "--user",
              a5 = "alice", a6 = "--password=hunter2", a7 = "--password-file", a8 = "pw.txt";
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(),
                  a5.data(), a6.data(), a7.data(), a8.data()};
  hide_password_arguments(9, argv);
  EXPECT_STREQ(argv[3], "******");
  EXPECT_STREQ(argv[5], "alice");
  EXPECT_STREQ(argv[6], "--password=*******");
  EXPECT_STREQ(argv[8], "pw.txt");
  EXPECT_STREQ(argv[2], "--password");
}

TEST(HidePasswordArguments, AFlagWithoutItsValueAtTheEndIsLeftAlone) {
  std::string a0 = "redproof", a1 = "--password";
  char* argv[] = {a0.data(), a1.data()};
  hide_password_arguments(2, argv);
  EXPECT_STREQ(argv[1], "--password");
}

}  // namespace
}  // namespace redproof
