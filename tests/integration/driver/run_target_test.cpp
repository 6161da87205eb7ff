// `run --target` against real servers the test starts and then treats as someone else's: with
// requirepass and an ACL user, over TLS with a CA made here, behind Sentinel and as a Cluster;
// and a remote address refused inside a network namespace that has no route out.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "driver/topology/cluster_topology.hpp"
#include "driver/topology/sentinel_topology.hpp"
#include "redis/local_server.hpp"
#include "redis/sync_command.hpp"
#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing::Outcome;
using testing::run_redproof;
using testing::slurp;

constexpr const char* kDefaultSecret = "default-Secret-7f3a9c";
constexpr const char* kAliceSecret = "alice-Secret-51e0b2";

std::uint16_t free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class RunTarget : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("REDPROOF_PASSWORD");
    scratch_ = fs::temp_directory_path() /
               ("redproof-target-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    unsetenv("REDPROOF_PASSWORD");
    server_.reset();
    if (!HasFailure()) fs::remove_all(scratch_);
  }

  Outcome run(std::vector<std::string> args) {
    args.push_back("--results-dir");
    args.push_back((scratch_ / "results").string());
    return run_redproof(args, scratch_.string());
  }
  fs::path latest() const { return fs::canonical(scratch_ / "results" / "latest"); }
  nlohmann::json json_of(const char* file) const {
    return nlohmann::json::parse(slurp(latest() / file));
  }

  // A redis-server on loopback; `extra` lines go to its redis.conf.
  redis::Endpoint start_server(std::vector<std::string> extra = {}) {
    redis::LocalServerOptions o;
    o.directory = (scratch_ / "server").string();
    o.extra_config = std::move(extra);
    server_ = std::make_unique<redis::LocalServer>(o);
    server_->start();
    return server_->endpoint();
  }

  // requirepass for the default user and an ACL user alice, set once the server answers (its
  // start-up check speaks without AUTH).
  redis::Endpoint start_server_with_passwords() {
    const redis::Endpoint e = start_server();
    const milliseconds t(2000);
    EXPECT_TRUE(redis::sync_command(e,
                                    {"ACL", "SETUSER", "alice", "on",
                                     std::string(">") + kAliceSecret, "~*", "&*", "+@all"},
                                    t)
                    .is_status("OK"));
    EXPECT_TRUE(redis::sync_command(e, {"CONFIG", "SET", "requirepass", kDefaultSecret}, t)
                    .is_status("OK"));
    return e;
  }

  // No file the run wrote, nor its console output, holds `secret`.
  void expect_secret_nowhere(const std::string& secret, const Outcome& o) const {
    EXPECT_EQ(o.out.find(secret), std::string::npos);
    EXPECT_EQ(o.err.find(secret), std::string::npos);
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(scratch_ / "results")) {
      if (!entry.is_regular_file()) continue;
      ++files;
      EXPECT_EQ(slurp(entry.path().string()).find(secret), std::string::npos) << entry.path();
    }
    EXPECT_GE(files, 4);
  }

  // A CA and a server certificate for 127.0.0.1 signed by it, made with the openssl CLI; and a
  // second CA that signed nothing here.
  void make_certificates() {
    const std::string d = scratch_.string();
    const std::string quiet = " >/dev/null 2>&1";
    for (const char* ca : {"ca", "other-ca"}) {
      ASSERT_EQ(shell("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=redproof-" +
                      std::string(ca) + " -keyout " + d + "/" + ca + ".key -out " + d + "/" + ca +
                      ".pem" + quiet),
                0);
    }
    ASSERT_EQ(shell("openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout " + d +
                    "/server.key -out " + d + "/server.csr" + quiet),
              0);
    std::ofstream(d + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    ASSERT_EQ(shell("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
                    "/ca.key -CAcreateserial -days 2 -extfile " + d + "/san.ext -out " + d +
                    "/server.pem" + quiet),
              0);
  }

  // A server that also serves TLS on the returned port.
  std::uint16_t start_tls_server() {
    const std::string d = scratch_.string();
    const std::uint16_t tls_port = free_port();
    start_server({"tls-port " + std::to_string(tls_port), "tls-cert-file " + d + "/server.pem",
                  "tls-key-file " + d + "/server.key", "tls-ca-cert-file " + d + "/ca.pem",
                  "tls-auth-clients no"});
    return tls_port;
  }

  // Servers of the harness's own, started by the test to be used as someone else's.
  TopologyOptions own_topology(const std::string& kind) const {
    TopologyOptions to;
    to.kind = kind;
    to.nodes_directory = (scratch_ / "nodes").string();
    return to;
  }

  fs::path scratch_;
  std::unique_ptr<redis::LocalServer> server_;
};

TEST_F(RunTarget, DefaultUserPasswordFromAFileGivesAValidRunAndIsRecordedOnlyAsSet) {
  const auto e = start_server_with_passwords();
  const std::string file = (scratch_ / "password").string();
  std::ofstream(file) << kDefaultSecret << "\n";
  auto o =
      run({"run", "register", "--time", "5s", "--target", e.to_string(), "--password-file", file});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(json_of("results.json")["valid"], true);
  const auto security = json_of("run.json")["topology"]["security"];
  EXPECT_EQ(security["auth"]["user"], "default");
  EXPECT_EQ(security["auth"]["password"], "set");
  expect_secret_nowhere(kDefaultSecret, o);
}

TEST_F(RunTarget, AclUserWithThePasswordInTheEnvironmentGivesAValidRun) {
  const auto e = start_server_with_passwords();
  setenv("REDPROOF_PASSWORD", kAliceSecret, 1);
  auto o = run({"run", "register", "--time", "5s", "--target", e.to_string(), "--user", "alice"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(json_of("results.json")["valid"], true);
  EXPECT_EQ(json_of("run.json")["topology"]["security"]["auth"]["user"], "alice");
  expect_secret_nowhere(kAliceSecret, o);
}

TEST_F(RunTarget, AWrongPasswordIsOneLineAndExit3) {
  const auto e = start_server_with_passwords();
  auto o = run({"run", "register", "--time", "5s", "--target", e.to_string(), "--user", "alice",
                "--password", "not-the-password"});
  EXPECT_EQ(o.exit_code, 3) << o.out << o.err;
  EXPECT_EQ(lines(o.err), 1u) << o.err;
  EXPECT_NE(o.err.find("--target " + e.to_string() + ": authentication failed: WRONGPASS"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(o.err.find("not-the-password"), std::string::npos);
}

TEST_F(RunTarget, TlsWithTheTestCaGivesAValidRun) {
  make_certificates();
  const std::uint16_t port = start_tls_server();
  auto o = run({"run", "register", "--time", "5s", "--target", "127.0.0.1:" + std::to_string(port),
                "--tls", "--cacert", (scratch_ / "ca.pem").string()});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(json_of("results.json")["valid"], true);
  EXPECT_EQ(json_of("run.json")["topology"]["security"]["tls"]["cacert"],
            (scratch_ / "ca.pem").string());
}

TEST_F(RunTarget, AnUntrustedCertificateIsOneLineAndExit3) {
  make_certificates();
  const std::uint16_t port = start_tls_server();
  auto o = run({"run", "register", "--time", "5s", "--target", "127.0.0.1:" + std::to_string(port),
                "--tls", "--cacert", (scratch_ / "other-ca.pem").string()});
  EXPECT_EQ(o.exit_code, 3) << o.out << o.err;
  EXPECT_EQ(lines(o.err), 1u) << o.err;
  EXPECT_NE(o.err.find("certificate verify failed"), std::string::npos) << o.err;
}

TEST_F(RunTarget, ASentinelTargetUsesTheMasterTheSentinelsName) {
  SentinelTopology sentinel(own_topology("sentinel"));
  sentinel.setup();
  const auto d = sentinel.describe();
  std::string sentinels;
  for (const auto& s : d["sentinels"]) {
    sentinels += (sentinels.empty() ? "" : ",") + s["endpoint"].get<std::string>();
  }
  auto o = run({"run", "register", "--time", "5s", "--target",
                "sentinel://" + sentinels + "/" + SentinelTopology::kMasterName});
  // The Sentinels know the master by the address of its peer proxy (what it announces), not
  // the one the harness's own clients use: a target run must go where the Sentinels say.
  const auto named = redis::sync_command(
      redis::Endpoint{"127.0.0.1", static_cast<std::uint16_t>(
                                       std::stoi(sentinels.substr(sentinels.find(':') + 1)))},
      {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", SentinelTopology::kMasterName}, milliseconds(2000));
  sentinel.teardown();
  ASSERT_EQ(named.elements.size(), 2u);
  const std::string master = named.elements[0].str + ":" + named.elements[1].str;
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(json_of("results.json")["valid"], true);
  const auto topology = json_of("run.json")["topology"];
  EXPECT_EQ(topology["kind"], "target-sentinel");
  EXPECT_EQ(topology["nodes"][0]["endpoint"], master);
}

TEST_F(RunTarget, AClusterTargetRoutesBySlot) {
  ClusterTopology cluster(own_topology("cluster"));
  cluster.setup();
  const std::string seed = cluster.client_node(0).endpoint.to_string();
  auto o = run({"run", "register", "--time", "5s", "--target", "cluster://" + seed});
  cluster.teardown();
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(json_of("results.json")["valid"], true);
  EXPECT_EQ(json_of("run.json")["topology"]["kind"], "target-cluster");
}

// `ip netns add` needs root; elsewhere the refusal is still covered by the unit tests.
class RemoteTarget : public RunTarget {
 protected:
  void SetUp() override {
    RunTarget::SetUp();
    if (geteuid() != 0) GTEST_SKIP() << "needs root for ip netns";
    netns_ = "redproof-test-" + std::to_string(getpid());
    ASSERT_EQ(shell("ip netns add " + netns_), 0);
  }
  void TearDown() override {
    if (!netns_.empty()) shell("ip netns delete " + netns_ + " 2>/dev/null");
    RunTarget::TearDown();
  }

  // redproof inside the namespace: exit code, and stderr in `err`.
  int run_in_netns(const std::string& args, std::string& err) {
    const std::string err_path = (scratch_ / "netns-stderr.txt").string();
    const int code =
        shell("ip netns exec " + netns_ + " " + REDPROOF_BINARY + " " + args + " --results-dir " +
              (scratch_ / "results").string() + " >/dev/null 2>" + err_path);
    err = slurp(err_path);
    return code;
  }

  std::string netns_;
};

TEST_F(RemoteTarget, ARemoteAddressIsRefusedBeforeAnyConnection) {
  // The namespace has loopback only: no route, so no bug could send a packet anywhere.
  ASSERT_EQ(shell("ip netns exec " + netns_ + " ip route show > " + (scratch_ / "routes").string()),
            0);
  EXPECT_EQ(slurp((scratch_ / "routes").string()), "");

  std::string err;
  EXPECT_EQ(run_in_netns("run register --time 5s --target 10.1.2.3:6379", err), 2) << err;
  EXPECT_EQ(lines(err), 1u) << err;
  EXPECT_NE(err.find("--allow-remote"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(scratch_ / "results")) << "a refused run left a results directory";

  // With --allow-remote, a fault that needs control of the server is still refused.
  EXPECT_EQ(run_in_netns("run register --time 5s --target 10.1.2.3:6379 --allow-remote --fault "
                         "kill-restart",
                         err),
            2)
      << err;
  EXPECT_EQ(lines(err), 1u) << err;
  EXPECT_NE(err.find("kill-restart needs control of the server"), std::string::npos) << err;
}

// A real redis-sentinel, inside the namespace with no route out, told to monitor a master at a
// remote address: it names that address when asked (its own attempts to reach it fail at once,
// for want of a route), and redproof must refuse to follow it rather than send load there.
TEST_F(RemoteTarget, ASentinelNamingARemoteMasterIsRefused) {
  ASSERT_EQ(shell("ip netns exec " + netns_ + " ip link set lo up"), 0);
  const std::uint16_t port = free_port();
  const fs::path conf = scratch_ / "sentinel.conf";
  const fs::path pidfile = scratch_ / "sentinel.pid";
  {
    std::ofstream out(conf);
    out << "port " << port << "\nbind 127.0.0.1\ndaemonize yes\npidfile " << pidfile.string()
        << "\ndir " << scratch_.string() << "\nlogfile " << (scratch_ / "sentinel.log").string()
        << "\nsentinel monitor far 10.1.2.3 6379 1\n";
  }
  ASSERT_EQ(shell("ip netns exec " + netns_ + " redis-sentinel " + conf.string()), 0);
  struct KillSentinel {
    fs::path pidfile;
    ~KillSentinel() {
      const std::string pid = slurp(pidfile.string());
      if (!pid.empty()) shell("kill " + pid + " 2>/dev/null");
    }
  } kill_sentinel{pidfile};
  // The Sentinel answers once it has loaded its configuration.
  bool answering = false;
  for (int i = 0; i < 100 && !answering; ++i) {
    answering = shell("ip netns exec " + netns_ + " redis-cli -p " + std::to_string(port) +
                      " SENTINEL GET-MASTER-ADDR-BY-NAME far 2>/dev/null | grep -q 10.1.2.3") == 0;
    if (!answering) std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_TRUE(answering) << slurp((scratch_ / "sentinel.log").string());

  std::string err;
  const std::string target = "sentinel://127.0.0.1:" + std::to_string(port) + "/far";
  EXPECT_EQ(run_in_netns("run register --time 5s --target " + target, err), 3) << err;
  EXPECT_EQ(lines(err), 1u) << err;
  EXPECT_NE(err.find("10.1.2.3:6379"), std::string::npos) << err;
  EXPECT_NE(err.find("--allow-remote"), std::string::npos) << err;
}

}  // namespace
}  // namespace redproof
