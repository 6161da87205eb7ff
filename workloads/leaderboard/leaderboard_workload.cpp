#include "workloads/leaderboard/leaderboard_workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "checkers/leaderboard_checker.hpp"
#include "workloads/generators/mix.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/generators/time_limit.hpp"
#include "workloads/leaderboard/leaderboard_client.hpp"
#include "workloads/leaderboard/leaderboard_hooks.hpp"

namespace redproof::leaderboard {

namespace {

struct LeaderboardOptions {
  std::int64_t boards = 0;
  std::int64_t members = 0;
  std::int64_t max_by = 0;
  std::int64_t top = 0;
  double read_ratio = 0;
  std::int64_t think_ns = 0;
};

std::string board_key(std::int64_t i) {
  return fmt::format("board:{}", i);
}

class LeaderboardWorkload : public Workload {
 public:
  explicit LeaderboardWorkload(LeaderboardOptions o) : o_(o) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<LeaderboardClient>(setup);
  }
  std::unique_ptr<Generator> make_generator(int, Random rng, std::int64_t end_ns) override {
    const LeaderboardOptions o = o_;
    auto incr = [o](Random& r) {
      return GeneratorStep::operation(
          "incr", board_key(r.uniform(0, o.boards - 1)),
          fmt::format(R"({{"member":"m{}","by":{}}})", r.uniform(0, o.members - 1),
                      r.uniform(1, o.max_by)));
    };
    auto top = [o](Random& r) {
      return GeneratorStep::operation("top", board_key(r.uniform(0, o.boards - 1)),
                                      std::to_string(o.top));
    };
    auto read = [o](Random& r) {
      return GeneratorStep::operation("read", board_key(r.uniform(0, o.boards - 1)));
    };
    auto mix = std::make_unique<gen::Mix>(
        rng.fork("mix"),
        std::vector<gen::Weighted>{
            {1 - o.read_ratio, incr}, {o.read_ratio / 2, top}, {o.read_ratio / 2, read}});
    return std::make_unique<gen::TimeLimit>(
        end_ns, std::make_unique<gen::ThinkTime>(rng.fork("think"), 0, o.think_ns, std::move(mix)));
  }
  // One fresh process reads every board once the faults are healed.
  std::unique_ptr<Generator> make_final_generator(int worker, std::int64_t) override {
    if (worker != 0) return nullptr;
    std::vector<GeneratorStep> reads;
    for (std::int64_t b = 0; b < o_.boards; ++b) {
      reads.push_back(GeneratorStep::operation("read", board_key(b)));
    }
    return std::make_unique<gen::Sequence>(std::move(reads));
  }
  std::vector<Hook> pause_hooks() const override { return {kHookBeforeIncrement}; }
  nlohmann::json describe() const override {
    return {{"variant", "zincrby"},         {"boards", o_.boards}, {"members", o_.members},
            {"max_by", o_.max_by},          {"top", o_.top},       {"read_ratio", o_.read_ratio},
            {"think_ms", o_.think_ns / 1e6}};
  }

 private:
  LeaderboardOptions o_;
};

}  // namespace

WorkloadInfo leaderboard_workload_info() {
  WorkloadInfo info;
  info.name = "leaderboard";
  info.summary = "a sorted-set leaderboard raised with ZINCRBY by many clients";
  info.variants = {{"zincrby", "ZINCRBY increments, ZREVRANGE top N, ZRANGE reads", false, ""}};
  info.knobs = {
      {"boards", KnobType::kCount, "1", "leaderboards (sorted sets)", 1},
      {"members", KnobType::kCount, "20", "players per board", 1},
      {"max-by", KnobType::kCount, "5", "largest increment (each is 1..max-by)", 1},
      {"top", KnobType::kCount, "5", "N of the top-N reads", 1},
      {"read-ratio", KnobType::kRatio, "0.1", "share of operations that are top or read"},
      {"think", KnobType::kDuration, "1ms", "longest pause between a client's operations"},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    if (config.script) {
      throw std::invalid_argument("--script: the leaderboard workload takes no Lua");
    }
    LeaderboardOptions o;
    o.boards = config.knobs.count("boards");
    o.members = config.knobs.count("members");
    o.max_by = config.knobs.count("max-by");
    o.top = config.knobs.count("top");
    o.read_ratio = config.knobs.number("read-ratio");
    o.think_ns = config.knobs.duration("think").count();
    if (o.read_ratio >= 1) throw std::invalid_argument("--param read-ratio: must be below 1");
    return std::make_unique<LeaderboardWorkload>(o);
  };
  info.checkers = [](const CheckerSetup&) {
    CheckerList out;
    out.push_back(std::make_unique<LeaderboardChecker>());
    return out;
  };
  info.contract =
      "history: incr {\"member\": M, \"by\": N} -> the new score; top N -> [[member, score], ...] "
      "best first; read -> {member: score}; a final read of every board (key: the board). "
      "Checked by `leaderboard`: lost-increment, double-count, impossible-score.";
  return info;
}

}  // namespace redproof::leaderboard
