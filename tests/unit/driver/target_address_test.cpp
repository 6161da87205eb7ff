// --target's text and where it points, decided without DNS or sockets.
#include "driver/topology/target_address.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "driver/target_options.hpp"

namespace redproof {
namespace {

TEST(TargetAddress, PlainHostAndPort) {
  auto t = parse_target("127.0.0.1:7000");
  EXPECT_EQ(t.kind, TargetAddress::Kind::kServer);
  ASSERT_EQ(t.endpoints.size(), 1u);
  EXPECT_EQ(t.endpoints[0], (redis::Endpoint{"127.0.0.1", 7000}));
}

TEST(TargetAddress, BracketedIpv6) {
  auto t = parse_target("[::1]:6380");
  EXPECT_EQ(t.endpoints[0], (redis::Endpoint{"::1", 6380}));
  EXPECT_THROW(parse_target("::1:6380"), std::invalid_argument);
}

TEST(TargetAddress, SentinelWithSeveralSentinelsAndAMasterName) {
  auto t = parse_target("sentinel://127.0.0.1:26379,localhost:26380/mymaster");
  EXPECT_EQ(t.kind, TargetAddress::Kind::kSentinel);
  ASSERT_EQ(t.endpoints.size(), 2u);
  EXPECT_EQ(t.endpoints[1], (redis::Endpoint{"localhost", 26380}));
  EXPECT_EQ(t.master_name, "mymaster");
}

TEST(TargetAddress, ClusterSeeds) {
  auto t = parse_target("cluster://127.0.0.1:7000,127.0.0.1:7001");
  EXPECT_EQ(t.kind, TargetAddress::Kind::kCluster);
  EXPECT_EQ(t.endpoints.size(), 2u);
  EXPECT_TRUE(t.master_name.empty());
}

TEST(TargetAddress, MalformedTextsSayWhatIsWrong) {
  for (const char* bad : {"", "localhost", "127.0.0.1:", ":6379", "127.0.0.1:0", "127.0.0.1:70000",
                          "h:12x", "sentinel://127.0.0.1:26379", "sentinel://127.0.0.1:26379/",
                          "sentinel:///m", "sentinel://a:1/m/x", "cluster://", "cluster://a:1/x",
                          "cluster://a:1,,b:2", "redis://127.0.0.1:6379"}) {
    try {
      parse_target(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("--target"), std::string::npos) << e.what();
    }
  }
}

TEST(TargetAddress, LoopbackIsDecidedFromTheTextAlone) {
  for (const char* local :
       {"127.0.0.1", "127.1.2.3", "127.255.255.254", "::1", "localhost", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback_host(local)) << local;
  }
  for (const char* remote : {"10.1.2.3", "128.0.0.1", "0.0.0.0", "::", "::2", "redis.example.com",
                             "localhost.example.com", "126.255.255.255", "::ffff:10.0.0.1"}) {
    EXPECT_FALSE(is_loopback_host(remote)) << remote;
  }
}

TEST(TargetAddress, TheHarnesssNamespacesAreLocalOtherPrivateNetsAreNot) {
  EXPECT_TRUE(is_local_host("10.213.4.11"));
  EXPECT_TRUE(is_local_host("127.0.0.1"));
  EXPECT_FALSE(is_local_host("10.214.4.11"));
  EXPECT_FALSE(is_local_host("10.1.2.3"));
  EXPECT_FALSE(is_local_host("192.168.1.1"));
}

TEST(TargetAddress, OneRemoteSentinelMakesTheTargetRemote) {
  EXPECT_EQ(first_remote_endpoint(parse_target("sentinel://127.0.0.1:1,[::1]:2/m")), nullptr);
  const auto t = parse_target("sentinel://127.0.0.1:1,10.0.0.9:2/m");
  const redis::Endpoint* remote = first_remote_endpoint(t);
  ASSERT_NE(remote, nullptr);
  EXPECT_EQ(remote->host, "10.0.0.9");
}

class PasswordFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("redproof-password-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void write(const std::string& content) { std::ofstream(path_, std::ios::binary) << content; }
  std::filesystem::path path_;
};

TEST_F(PasswordFile, FirstLineWithoutItsLineEnd) {
  write("s3cret\r\nsecond line\n");
  EXPECT_EQ(read_password_file(path_.string()), "s3cret");
  write("no newline");
  EXPECT_EQ(read_password_file(path_.string()), "no newline");
}

TEST_F(PasswordFile, MissingEmptyOrHugeFilesAreOneClearError) {
  auto message = [&] {
    try {
      read_password_file(path_.string());
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message().find("cannot be read"), std::string::npos) << message();
  write("\nsecond");
  EXPECT_NE(message().find("first line is empty"), std::string::npos) << message();
  write(std::string(100000, 'x'));
  EXPECT_NE(message().find("longer than 4096 bytes"), std::string::npos) << message();
  EXPECT_EQ(message().find("xxxx"), std::string::npos);  // the content is never echoed
}

TEST(RemoteFaults, OnlyFaultsThatNeedNoControlOfTheServerRunAgainstARemoteTarget) {
  TargetSpec local;
  local.text = "127.0.0.1:6379";
  EXPECT_EQ(remote_fault_problem(local, "kill-restart"), "");
  TargetSpec remote = local;
  remote.remote = true;
  for (const char* ok : {"none", "pause-client", "proxy-latency", "proxy-reset"}) {
    EXPECT_EQ(remote_fault_problem(remote, ok), "") << ok;
  }
  for (const char* refused : {"kill-restart", "pause-server", "partition-primary", "failover"}) {
    EXPECT_NE(remote_fault_problem(remote, refused).find(refused), std::string::npos) << refused;
  }
}

}  // namespace
}  // namespace redproof
