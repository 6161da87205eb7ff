// NamespaceNetwork with a fake process runner: the exact `ip` and `iptables` commands that set
// up the namespaces and turn a grudge into rules. (The real thing, as root, is tested in
// tests/integration/driver/namespace_network_test.cpp.)
#include "driver/topology/namespace_network.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/process_runner.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

class RecordingRunner : public ProcessRunner {
 public:
  // Answers a command with (status, output); default: success.
  std::function<std::pair<int, std::string>(const std::string&)> answer;
  std::vector<std::string> commands;

  int spawn(const ProcessSpec& spec) override {
    std::string line = spec.binary;
    for (const auto& a : spec.args) line += " " + a;
    commands.push_back(line);
    auto [status, output] = answer ? answer(line) : std::pair<int, std::string>{0, ""};
    std::ofstream(spec.output_path) << output;
    statuses_.push_back(status);
    return static_cast<int>(statuses_.size());
  }
  bool signal(int, int) override { return true; }
  std::optional<int> wait(int pid, std::chrono::milliseconds) override {
    return statuses_.at(static_cast<std::size_t>(pid - 1));
  }
  std::optional<std::string> find_binary(const std::string& b) override { return b; }

  std::vector<std::string> matching(const std::string& needle) const {
    std::vector<std::string> out;
    for (const auto& c : commands) {
      if (c.find(needle) != std::string::npos) out.push_back(c);
    }
    return out;
  }

 private:
  std::vector<int> statuses_;
};

class NamespaceNetworkCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("redproof-netns-unit-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(NamespaceNetworkCommands, CreateClaimsABridgeAndWiresOneNamespacePerNode) {
  RecordingRunner r;
  int bridge_attempts = 0;
  r.answer = [&](const std::string& c) -> std::pair<int, std::string> {
    // The first bridge name is taken by another run: the next one is claimed.
    if (c.find("type bridge") != std::string::npos && bridge_attempts++ == 0) {
      return {2, "RTNETLINK answers: File exists"};
    }
    return {0, ""};
  };
  NamespaceNetwork net((dir_ / "network.json").string(), &r);
  net.create({"n1", "n2"});
  const std::string k = net.bridge().substr(3);
  EXPECT_EQ(bridge_attempts, 2);
  EXPECT_EQ(net.namespace_of("n2"), "rp" + k + "-n2");
  EXPECT_EQ(net.address_of("n1"), "10.213." + k + ".10");
  EXPECT_EQ(net.address_of("n2"), "10.213." + k + ".11");
  EXPECT_EQ(net.host_address(), "10.213." + k + ".1");
  EXPECT_EQ(r.matching("netns add").size(), 2u);
  EXPECT_EQ(r.matching("ip link set rp" + k + "n1 master rpb" + k + " up").size(), 1u);
  EXPECT_EQ(r.matching("ip -n rp" + k + "-n2 addr add 10.213." + k + ".11/24").size(), 1u);
  EXPECT_EQ(r.matching("iptables -w -A INPUT -j redproof").size(), 2u);
  // The record heal reads lists the bridge and both namespaces.
  std::ifstream in(dir_ / "network.json");
  std::string record((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(record.find("\"rpb" + k + "\""), std::string::npos) << record;
  EXPECT_NE(record.find("\"rp" + k + "-n1\""), std::string::npos) << record;
}

TEST_F(NamespaceNetworkCommands, AGrudgeBecomesDropRulesInTheNamespacesThatHoldIt) {
  RecordingRunner r;
  NamespaceNetwork net((dir_ / "network.json").string(), &r);
  net.create({"n1", "n2", "n3"});
  r.commands.clear();
  net.partition(isolate_node({"n1", "n2", "n3"}, "n3"));
  const std::string ns3 = net.namespace_of("n3");
  // Every chain flushed first, then one rule per (node, dropped peer): 3 + 4.
  EXPECT_EQ(r.matching("-F redproof").size(), 3u);
  const auto drops = r.matching("-j DROP");
  ASSERT_EQ(drops.size(), 4u);
  EXPECT_EQ(r.matching("netns exec " + ns3 + " iptables -w -A redproof -s " + net.address_of("n1") +
                       " -j DROP")
                .size(),
            1u);
  EXPECT_EQ(r.matching("netns exec " + net.namespace_of("n1") + " iptables -w -A redproof -s " +
                       net.address_of("n3") + " -j DROP")
                .size(),
            1u);
  EXPECT_TRUE(r.matching("-s " + net.address_of("n2") + " -j DROP").size() == 1u);
  r.commands.clear();
  net.heal_partition();
  EXPECT_EQ(r.matching("-F redproof").size(), 3u);
  EXPECT_EQ(r.commands.size(), 3u);
}

TEST_F(NamespaceNetworkCommands, AFailedStepIsOneLineNamingTheCommand) {
  RecordingRunner r;
  r.answer = [](const std::string& c) -> std::pair<int, std::string> {
    if (c.find("netns add") != std::string::npos) return {1, "Cannot create namespace: EPERM"};
    return {0, ""};
  };
  NamespaceNetwork net((dir_ / "network.json").string(), &r);
  try {
    net.create({"n1"});
    FAIL() << "create should throw";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("ip netns add"), std::string::npos) << what;
    EXPECT_NE(what.find("EPERM"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace redproof
