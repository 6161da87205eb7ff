#include "workloads/stampede/stampede_workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "checkers/stampede_checker.hpp"
#include "workloads/generators/mix.hpp"
#include "workloads/generators/phases.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/generators/time_limit.hpp"
#include "workloads/stampede/stampede_client.hpp"
#include "workloads/stampede/stampede_hooks.hpp"

namespace redproof::stampede {

namespace {

constexpr std::int64_t kMs = 1000000;

StampedeVariant variant_of(const std::string& name) {
  auto v = parse_stampede_variant(name);
  if (!v) throw std::invalid_argument("unknown stampede variant " + name);
  return *v;
}

std::string init_value(std::int64_t keys) {
  std::string out = "{";
  for (std::int64_t i = 0; i < keys; ++i)
    out += fmt::format("{}\"{}\":0", i ? "," : "", hot_key(i));
  return out + "}";
}

class StampedeWorkload : public Workload {
 public:
  StampedeWorkload(const StampedeOptions& options, const WorkloadConfig& config) {
    auto opened = db::open_sqlite(config.results_directory, "stampede-db.sqlite");
    temp_ = opened.temp;
    auto shared = std::make_shared<StampedeShared>();
    shared->options = options;
    shared->db = std::make_shared<db::DbAccess>(std::move(opened.database), options.db_latency);
    shared->seed = config.seed;
    shared_ = shared;
  }

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<StampedeClient>(setup, shared_);
  }
  // Reads of the hot keys, uniformly; worker 0 records the init (the rows) first.
  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    const std::int64_t keys = shared_->options.keys;
    auto mix = std::make_unique<gen::Mix>(
        rng.fork("mix"), std::vector<gen::Weighted>{{1, [keys](Random& r) {
                                                       return GeneratorStep::operation(
                                                           "read", hot_key(r.uniform(0, keys - 1)));
                                                     }}});
    std::unique_ptr<Generator> load = std::make_unique<gen::TimeLimit>(
        end_ns, std::make_unique<gen::ThinkTime>(
                    rng.fork("think"), 0, shared_->options.think.count() * kMs, std::move(mix)));
    if (worker != 0) {
      return std::make_unique<gen::Stagger>(rng.fork("stagger"), 50 * kMs, std::move(load));
    }
    std::vector<std::unique_ptr<Generator>> phases;
    phases.push_back(std::make_unique<gen::Sequence>(std::vector<GeneratorStep>{
        GeneratorStep::operation("init", std::nullopt, init_value(keys))}));
    phases.push_back(std::move(load));
    return std::make_unique<gen::Phases>(std::move(phases));
  }
  std::vector<Hook> pause_hooks() const override { return {kHookDuringRebuild}; }
  // Past the rebuild lock's TTL, so a paused rebuilder loses its lock.
  std::chrono::milliseconds client_pause_length() const override {
    return shared_->options.lock_ttl + std::chrono::milliseconds(500);
  }
  nlohmann::json describe() const override {
    const auto& o = shared_->options;
    return {{"variant", std::string(stampede_variant_name(o.variant))},
            {"keys", o.keys},
            {"ttl_ms", o.ttl.count()},
            {"db_latency_ms", o.db_latency.count()},
            {"lock_ttl_ms", o.lock_ttl.count()},
            {"beta", o.beta},
            {"database", shared_->db->describe()}};
  }

 private:
  std::shared_ptr<db::TempDirectory> temp_;
  std::shared_ptr<const StampedeShared> shared_;
};

std::unique_ptr<Workload> make_stampede(const WorkloadConfig& config) {
  if (config.script) throw std::invalid_argument("--script: the stampede workload takes no Lua");
  const StampedeOptions o = stampede_options(variant_of(config.variant), config.knobs);
  if (o.lock_ttl <= o.db_latency) {
    throw std::invalid_argument("--param lock-ttl must be longer than db-latency (the rebuild)");
  }
  return std::make_unique<StampedeWorkload>(o, config);
}

}  // namespace

WorkloadInfo stampede_workload_info() {
  WorkloadInfo info;
  info.name = "stampede";
  info.summary = "hot keys with short TTLs and a slow rebuild from a database: the herd";
  info.variants = {
      {"mutex",
       "SET NX PX rebuild lock (double-checked); the others serve the old copy (source stale) "
       "or wait briefly"},
      {"xfetch",
       "XFetch early recomputation (now - delta*beta*ln(rand) >= expiry), one recomputer at a "
       "time; a cold miss waits for the lock holder"},
      {"none", "no protection: every reader that misses rebuilds", true},
  };
  info.knobs = {
      {"keys", KnobType::kCount, "3", "hot keys", 1},
      {"ttl", KnobType::kDuration, "500ms", "entry TTL", 1},
      {"db-latency", KnobType::kDuration, "50ms", "added latency of every database query"},
      {"lock-ttl", KnobType::kDuration, "1s", "rebuild lock TTL (mutex, xfetch)", 1},
      {"wait", KnobType::kDuration, "5ms", "poll interval of a reader waiting for a rebuild", 1},
      {"think", KnobType::kDuration, "1ms", "longest pause between a client's reads"},
      {"beta", KnobType::kNumber, "1.0", "XFetch beta (> 1 recomputes earlier)"},
  };
  info.make = make_stampede;
  info.checkers = [](const CheckerSetup&) {
    CheckerList out;
    out.push_back(std::make_unique<StampedeChecker>());
    return out;
  };
  info.contract =
      "history: init {key: 0, ...}; read -> {version, source: cache|db|stale} (db: this read "
      "rebuilt the entry). Checked by stampede: herd = more than one db read of one key with "
      "overlapping intervals (one herd per expiry); rebuilds per expiry, db loads per second, "
      "read latency around expiries against the rest.";
  return info;
}

}  // namespace redproof::stampede
