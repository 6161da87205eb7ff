// LocalServer against the real redis-server: start on a free port, refuse a port in use and a
// missing binary with one clear line, pause/resume, kill/restart, and leave no process behind.
#include "redis/local_server.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include "redis/sync_command.hpp"
#include "temp_dir.hpp"

namespace redproof::redis {
namespace {

using namespace std::chrono_literals;

LocalServerOptions options_in(const testing::TempDir& dir, const std::string& name = "n1") {
  LocalServerOptions o;
  o.name = name;
  o.directory = dir.path() + "/" + name;
  return o;
}

bool process_exists(int pid) {
  return pid > 0 && ::kill(pid, 0) == 0;
}

TEST(LocalServer, StartsOnAFreePortAnswersAndStops) {
  testing::TempDir dir;
  LocalServer server(options_in(dir));
  server.start();
  ASSERT_TRUE(server.running());
  EXPECT_NE(server.endpoint().port, 0);
  EXPECT_TRUE(sync_command(server.endpoint(), {"PING"}, 1s).is_status("PONG"));
  EXPECT_FALSE(server.version().empty());
  // No persistence unless asked.
  auto save = sync_command(server.endpoint(), {"CONFIG", "GET", "save"}, 1s);
  ASSERT_EQ(save.elements.size(), 2u);
  EXPECT_EQ(save.elements[1].str, "");
  const int pid = server.pid();
  server.stop();
  EXPECT_FALSE(server.running());
  EXPECT_FALSE(process_exists(pid));
  EXPECT_TRUE(std::filesystem::exists(server.log_path()));
  EXPECT_TRUE(std::filesystem::exists(server.config_path()));
}

TEST(LocalServer, PortInUseIsOneClearError) {
  testing::TempDir dir;
  LocalServer first(options_in(dir, "a"));
  first.start();
  auto o = options_in(dir, "b");
  o.port = first.endpoint().port;
  LocalServer second(o);
  try {
    second.start();
    FAIL() << "expected ServerStartError";
  } catch (const ServerStartError& e) {
    EXPECT_NE(std::string(e.what()).find("already in use"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

TEST(LocalServer, MissingBinaryIsOneClearError) {
  testing::TempDir dir;
  auto o = options_in(dir);
  o.binary = "redis-server-that-does-not-exist";
  LocalServer server(o);
  try {
    server.start();
    FAIL() << "expected ServerStartError";
  } catch (const ServerStartError& e) {
    EXPECT_NE(std::string(e.what()).find("not found"), std::string::npos) << e.what();
  }
}

TEST(LocalServer, BadConfigReportsTheServersOwnComplaint) {
  testing::TempDir dir;
  auto o = options_in(dir);
  o.extra_config = {"maxmemory-policy nonsense"};
  LocalServer server(o);
  try {
    server.start();
    FAIL() << "expected ServerStartError";
  } catch (const ServerStartError& e) {
    EXPECT_NE(std::string(e.what()).find("exited"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(server.running());
}

TEST(LocalServer, PausedServerDoesNotAnswerUntilResumed) {
  testing::TempDir dir;
  LocalServer server(options_in(dir));
  server.start();
  server.pause();
  EXPECT_TRUE(server.paused());
  EXPECT_THROW(sync_command(server.endpoint(), {"PING"}, 200ms), CommandError);
  server.resume();
  EXPECT_TRUE(sync_command(server.endpoint(), {"PING"}, 1s).is_status("PONG"));
}

TEST(LocalServer, StopWorksEvenWhenPaused) {
  testing::TempDir dir;
  LocalServer server(options_in(dir));
  server.start();
  const int pid = server.pid();
  server.pause();
  server.stop();
  EXPECT_FALSE(process_exists(pid));
}

TEST(LocalServer, KillAndRestartWithoutPersistenceLosesData) {
  testing::TempDir dir;
  LocalServer server(options_in(dir));
  server.start();
  const auto port = server.endpoint().port;
  sync_command(server.endpoint(), {"SET", "k", "v"}, 1s);
  const int pid = server.pid();
  server.kill();
  EXPECT_FALSE(process_exists(pid));
  EXPECT_THROW(sync_command(server.endpoint(), {"PING"}, 200ms), CommandError);
  server.restart();
  EXPECT_EQ(server.endpoint().port, port);
  EXPECT_TRUE(sync_command(server.endpoint(), {"GET", "k"}, 1s).is_nil());
}

TEST(LocalServer, RestartWithPersistenceKeepsData) {
  testing::TempDir dir;
  auto o = options_in(dir);
  o.persistence = Persistence::kAof;
  LocalServer server(o);
  server.start();
  sync_command(server.endpoint(), {"SET", "k", "v"}, 1s);
  server.kill();
  server.restart();
  EXPECT_EQ(sync_command(server.endpoint(), {"GET", "k"}, 1s).str, "v");
}

TEST(LocalServer, DestructorStopsTheProcess) {
  testing::TempDir dir;
  int pid = 0;
  {
    LocalServer server(options_in(dir));
    server.start();
    pid = server.pid();
  }
  EXPECT_FALSE(process_exists(pid));
}

}  // namespace
}  // namespace redproof::redis
