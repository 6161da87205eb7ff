// The worker interpreter with a scripted client: what it records, and Jepsen's rule that a
// process which saw an `info` is never used again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <functional>

#include "core/history_reader.hpp"
#include "driver/worker.hpp"

namespace redproof {
namespace {

// Completes operations in a scripted order: ok, fail, info, ok, ...
class ScriptedClient : public Client {
 public:
  explicit ScriptedClient(int* counter) : counter_(counter) {}
  boost::asio::awaitable<Completion> invoke(const Op& invoke) override {
    int n = (*counter_)++;
    switch (n % 3) {
      case 0:
        co_return Completion::ok(invoke.value);
      case 1:
        co_return Completion::fail("busy");
      default:
        co_return Completion::info("timed out");
    }
  }

 private:
  int* counter_;
};

// Writes its count, `limit` times, then stops.
class CountingGenerator : public Generator {
 public:
  explicit CountingGenerator(int limit) : limit_(limit) {}
  GeneratorStep next(std::int64_t) override {
    if (issued_ == limit_) return GeneratorStep::done();
    return GeneratorStep::operation("write", "k", std::to_string(issued_++));
  }
  void update(const Op&) override {}
  void process_replaced() override { ++replaced; }
  int replaced = 0;

 private:
  int limit_;
  int issued_ = 0;
};

class ScriptedWorkload : public Workload {
 public:
  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    ++clients_opened;
    endpoints.push_back(setup.endpoint.port);
    if (on_open) on_open(clients_opened);
    return std::make_unique<ScriptedClient>(&counter_);
  }
  std::unique_ptr<Generator> make_generator(int, Random, std::int64_t) override {
    return std::make_unique<CountingGenerator>(9);
  }
  nlohmann::json describe() const override { return nlohmann::json::object(); }
  int clients_opened = 0;
  std::vector<int> endpoints;  // the port of each client opened
  std::function<void(int)> on_open;

 private:
  int counter_ = 0;
};

// A topology whose primary a test moves by hand.
class MovableTopology : public Topology {
 public:
  void setup() override {}
  void teardown() noexcept override {}
  std::vector<Node> nodes() const override { return {current}; }
  Node client_node(int) const override { return current; }
  nlohmann::json describe() const override { return nlohmann::json::object(); }
  Node current{"n1", {"127.0.0.1", 1}};
};

// Runs worker 0 to the end of its generator and returns the history it recorded, as read back
// by the reader (which enforces the spec: one op in flight per process, none reused after info).
std::vector<Op> run_one_worker(Workload& workload, const Topology& topology, const char* name) {
  const std::string path = std::filesystem::temp_directory_path() /
                           (std::string(name) + "-" + std::to_string(getpid()) + ".jsonl");
  RunClock clock;
  RunState state;
  state.set_first_free_process(10);
  {
    HistoryWriter writer(path);
    HistoryRecorder recorder(writer, clock);
    WorkerEnvironment env;
    env.workload = &workload;
    env.recorder = &recorder;
    env.state = &state;
    env.topology = &topology;
    env.end_ns = std::int64_t(60) * 1'000'000'000;
    env.hard_end_ns = env.end_ns;
    boost::asio::io_context io;
    boost::asio::co_spawn(io, run_worker(env, 0), boost::asio::detached);
    io.run();
    recorder.flush();
  }
  auto ops = read_history_file(path);
  std::filesystem::remove(path);
  return ops;
}

TEST(Worker, RecordsEveryOperationAndRetiresAProcessAfterInfo) {
  ScriptedWorkload workload;
  MovableTopology topology;
  auto ops = run_one_worker(workload, topology, "redproof-worker");
  ASSERT_EQ(ops.size(), 18u);
  std::vector<std::int64_t> processes;
  for (const auto& op : ops) {
    EXPECT_EQ(op.node, "n1");
    if (op.is_invoke()) processes.push_back(op.process);
  }
  // Every third operation ends in info, and the next one runs under a fresh process.
  EXPECT_EQ(processes, (std::vector<std::int64_t>{0, 0, 0, 10, 10, 10, 11, 11, 11}));
  EXPECT_EQ(workload.clients_opened, 4);
  EXPECT_EQ(ops[5].type, OpType::kInfo);
  EXPECT_EQ(ops[5].error, "timed out");
}

TEST(Worker, StopsWhenAStopIsRequested) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("redproof-worker-stop-" + std::to_string(getpid()) + ".jsonl");
  ScriptedWorkload workload;
  RunClock clock;
  RunState state;
  MovableTopology topology;
  state.request_stop();
  HistoryWriter writer(path);
  HistoryRecorder recorder(writer, clock);
  WorkerEnvironment env;
  env.workload = &workload;
  env.recorder = &recorder;
  env.state = &state;
  env.topology = &topology;
  env.end_ns = std::int64_t(60) * 1'000'000'000;
  env.hard_end_ns = env.end_ns;
  boost::asio::io_context io;
  boost::asio::co_spawn(io, run_worker(env, 0), boost::asio::detached);
  io.run();
  EXPECT_EQ(writer.size(), 0);
  std::filesystem::remove(path);
}

// After a fail, a worker whose primary moved follows it under the same process; it does not
// move while its requests succeed.
TEST(Worker, FollowsAMovedPrimaryAfterAFailWithoutANewProcess) {
  ScriptedWorkload workload;
  MovableTopology topology;
  // The primary moves as soon as the first client is open: op 0 (ok) stays, op 1 (fail) moves.
  workload.on_open = [&](int opened) {
    if (opened == 1) topology.current = {"n2", {"127.0.0.1", 2}};
  };
  auto ops = run_one_worker(workload, topology, "redproof-worker-move");
  ASSERT_EQ(ops.size(), 18u);
  EXPECT_EQ(ops[0].node, "n1");  // ok on n1
  EXPECT_EQ(ops[2].node, "n1");  // fail on n1: then the worker moves
  EXPECT_EQ(ops[3].type, OpType::kFail);
  EXPECT_EQ(ops[4].node, "n2");
  EXPECT_EQ(ops[4].process, 0);  // same process: the fail left nothing in flight
  EXPECT_EQ(ops[17].node, "n2");
  // Opened: n1, n2 after the fail, then one per info (still n2).
  ASSERT_GE(workload.endpoints.size(), 2u);
  EXPECT_EQ(workload.endpoints[0], 1);
  EXPECT_EQ(workload.endpoints[1], 2);
  EXPECT_EQ(workload.endpoints.back(), 2);
}

}  // namespace
}  // namespace redproof
