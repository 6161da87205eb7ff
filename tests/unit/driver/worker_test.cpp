// The worker interpreter with a scripted client: what it records, and Jepsen's rule that a
// process which saw an `info` is never used again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>

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
      case 0: co_return Completion::ok(invoke.value);
      case 1: co_return Completion::fail("busy");
      default: co_return Completion::info("timed out");
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
  std::unique_ptr<Client> make_client(const ClientSetup&) override {
    ++clients_opened;
    return std::make_unique<ScriptedClient>(&counter_);
  }
  std::unique_ptr<Generator> make_generator(int, Random, std::int64_t) override {
    return std::make_unique<CountingGenerator>(9);
  }
  std::vector<std::unique_ptr<Checker>> make_checkers() override { return {}; }
  nlohmann::json describe() const override { return nlohmann::json::object(); }
  int clients_opened = 0;

 private:
  int counter_ = 0;
};

TEST(Worker, RecordsEveryOperationAndRetiresAProcessAfterInfo) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("redproof-worker-" + std::to_string(getpid()) + ".jsonl");
  ScriptedWorkload workload;
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
    env.node = {"n1", {}};
    env.end_ns = std::int64_t(60) * 1'000'000'000;
    env.hard_end_ns = env.end_ns;
    boost::asio::io_context io;
    boost::asio::co_spawn(io, run_worker(env, 0), boost::asio::detached);
    io.run();
    recorder.flush();
  }
  // The reader enforces the spec: one op in flight per process, no process reused after info.
  auto ops = read_history_file(path);
  std::filesystem::remove(path);
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
  state.request_stop();
  HistoryWriter writer(path);
  HistoryRecorder recorder(writer, clock);
  WorkerEnvironment env;
  env.workload = &workload;
  env.recorder = &recorder;
  env.state = &state;
  env.end_ns = std::int64_t(60) * 1'000'000'000;
  env.hard_end_ns = env.end_ns;
  boost::asio::io_context io;
  boost::asio::co_spawn(io, run_worker(env, 0), boost::asio::detached);
  io.run();
  EXPECT_EQ(writer.size(), 0);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace redproof
