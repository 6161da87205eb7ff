// The server's INFO read as run.json's figures, and what a load cost the server.
#include <gtest/gtest.h>

#include "driver/load/server_info.hpp"

namespace redproof::load {
namespace {

TEST(ServerInfo, ReadsVersionMemoryCpuCommandsAndKeys) {
  const auto info = server_info_from_text(
      "# Server\r\nredis_version:7.0.15\r\n\r\n# Memory\r\nused_memory:1000\r\n"
      "used_memory_peak:2000\r\n# CPU\r\nused_cpu_sys:1.5\r\nused_cpu_user:2.25\r\n"
      "# Stats\r\ntotal_commands_processed:10\r\n# Keyspace\r\n"
      "db0:keys=7,expires=0,avg_ttl=0\r\ndb1:keys=3,expires=1,avg_ttl=5\r\n");
  EXPECT_EQ(info["redis_version"], "7.0.15");
  EXPECT_EQ(info["used_memory"], 1000);
  EXPECT_EQ(info["used_memory_peak"], 2000);
  EXPECT_DOUBLE_EQ(info["used_cpu_user"].get<double>(), 2.25);
  EXPECT_EQ(info["total_commands_processed"], 10);
  EXPECT_EQ(info["keys"], 10);
}

TEST(ServerInfo, UsageIsTheDifferenceLessTheInfoCommandItself) {
  const nlohmann::json before = {
      {"total_commands_processed", 10}, {"used_cpu_user", 1.0}, {"used_cpu_sys", 0.5}};
  const nlohmann::json after = {{"total_commands_processed", 1011},
                                {"used_cpu_user", 1.5},
                                {"used_cpu_sys", 0.6},
                                {"used_memory", 5000}};
  const auto usage = server_usage(before, after);
  EXPECT_EQ(usage["commands"], 1000);
  EXPECT_NEAR(usage["cpu_s"].get<double>(), 0.6, 1e-9);
  EXPECT_NEAR(usage["cpu_us_per_command"].get<double>(), 600, 1e-6);
  EXPECT_TRUE(server_usage({{"error", "refused"}}, after).empty());
}

TEST(ServerInfo, EachServerOfSeveralGetsItsOwnUsageAndLine) {
  const nlohmann::json before = nlohmann::json::array(
      {{{"name", "n1"}, {"endpoint", "127.0.0.1:1"}, {"info", {{"total_commands_processed", 5}}}},
       {{"name", "n2"}, {"endpoint", "127.0.0.1:2"}, {"info", {{"error", "refused"}}}}});
  const nlohmann::json after = nlohmann::json::array(
      {{{"name", "n1"},
        {"endpoint", "127.0.0.1:1"},
        {"info", {{"total_commands_processed", 106}, {"role", "master"}, {"keys", 40}}}},
       {{"name", "n2"}, {"endpoint", "127.0.0.1:2"}, {"info", {{"role", "slave"}}}}});
  const auto usage = servers_usage(before, after);
  ASSERT_EQ(usage.size(), 2u);
  EXPECT_EQ(usage[0]["role"], "master");
  EXPECT_EQ(usage[0]["usage"]["commands"], 100);
  EXPECT_EQ(usage[0]["usage"]["keys"], 40);
  EXPECT_TRUE(usage[1]["usage"].empty());
  EXPECT_EQ(servers_text(usage),
            "  servers      n1 (master) 100 commands, 40 keys\n"
            "               n2 (slave) no INFO figures\n");
  EXPECT_TRUE(servers_usage(before, nlohmann::json::array()).empty());
  EXPECT_EQ(server_info_from_text("# Replication\r\nrole:master\r\n")["role"], "master");
}

}  // namespace
}  // namespace redproof::load
