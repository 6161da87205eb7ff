#include "workloads/cache/cache_workload.hpp"

#include <stdexcept>

#include "checkers/cache_staleness_checker.hpp"
#include "workloads/cache/cache_client.hpp"
#include "workloads/cache/cache_generator.hpp"
#include "workloads/cache/cache_hooks.hpp"

namespace redproof::cache {

namespace {

CacheVariant variant_of(const std::string& name) {
  auto v = parse_cache_variant(name);
  if (!v) throw std::invalid_argument("unknown cache variant " + name);
  return *v;
}

class CacheWorkload : public Workload {
 public:
  CacheWorkload(const CacheOptions& options, const WorkloadConfig& config) {
    auto opened = db::open_sqlite(config.results_directory, "cache-db.sqlite");
    temp_ = opened.temp;
    auto shared = std::make_shared<CacheShared>();
    shared->options = options;
    shared->db = std::make_shared<db::DbAccess>(std::move(opened.database), options.db_latency);
    shared->flushes = std::make_shared<FlushQueue>();
    shared->script = config.script;
    shared_ = shared;
    generators_.options = options;
    generators_.zipf = std::make_shared<const Zipf>(options.items, options.zipf);
    generators_.versions = std::make_shared<VersionAllocator>(options.items);
    generators_.flushes = shared->flushes;
    generators_.clients = config.clients;
  }

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<CacheClient>(setup, shared_);
  }
  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    return generators_.load(worker, rng, end_ns);
  }
  std::unique_ptr<Generator> make_final_generator(int worker, std::int64_t) override {
    return generators_.final_reads(worker);
  }
  std::vector<Hook> hooks() const override { return {kHookBetweenDbReadAndFill, kHookInFlusher}; }
  // write-behind's window is its flusher (the lag it causes is the finding); the others' is the
  // stale-set race between a reader's row load and its fill.
  std::vector<Hook> pause_hooks() const override {
    if (shared_->options.variant == CacheVariant::kWriteBehind) return {kHookInFlusher};
    return {kHookBetweenDbReadAndFill};
  }
  std::chrono::milliseconds client_pause_length() const override {
    const auto& o = shared_->options;
    if (o.variant == CacheVariant::kWriteBehind) {
      return std::max(o.pause, o.max_lag + std::chrono::milliseconds(1000));
    }
    return o.pause;
  }
  nlohmann::json describe() const override {
    const auto& o = shared_->options;
    return {{"variant", std::string(cache_variant_name(o.variant))},
            {"items", o.items},
            {"zipf", o.zipf},
            {"write_ratio", o.write_ratio},
            {"ttl_ms", o.ttl.count()},
            {"db_latency_ms", o.db_latency.count()},
            {"flush_interval_ms", o.flush_interval.count()},
            {"max_lag_ms", o.max_lag.count()},
            {"script", shared_->script ? shared_->script->path : ""},
            {"database", shared_->db->describe()}};
  }

 private:
  std::shared_ptr<db::TempDirectory> temp_;  // before the database: removed after it closes
  std::shared_ptr<const CacheShared> shared_;
  CacheGenerators generators_;
};

CheckerList cache_checkers(const CheckerSetup& setup) {
  CacheStalenessOptions o;
  o.max_lag_ns = setup.knobs.duration("max-lag").count();
  o.write_behind = variant_of(setup.variant) == CacheVariant::kWriteBehind;
  CheckerList out;
  out.push_back(std::make_unique<CacheStalenessChecker>(o));
  return out;
}

std::unique_ptr<Workload> make_cache(const WorkloadConfig& config) {
  const CacheVariant variant = variant_of(config.variant);
  if (config.script && variant != CacheVariant::kCacheAsideVersioned) {
    throw std::invalid_argument(
        "--script: only cache-aside-versioned has a Lua core (its set-if-newer fill)");
  }
  if (variant == CacheVariant::kWriteBehind && config.clients < 2) {
    throw std::invalid_argument(
        "write-behind needs --clients 2 or more: the last client is the flusher");
  }
  const CacheOptions options = cache_options(variant, config.knobs);
  if (options.items < 1) throw std::invalid_argument("--param items: at least 1");
  return std::make_unique<CacheWorkload>(options, config);
}

}  // namespace

WorkloadInfo cache_workload_info() {
  WorkloadInfo info;
  info.name = "cache";
  info.summary = "a Redis cache in front of a real database (SQLite), checked for stale reads";
  info.variants = {
      {"cache-aside", "read: GET, on a miss load the row and SET PX; write: row, then DEL"},
      {"cache-aside-versioned",
       "cache-aside whose fill and invalidation are a Lua set-if-newer on the row's version "
       "(a tombstone remembers the version), so a slow fill cannot put an old row back"},
      {"read-through", "the cache layer loads on a miss and fills with SET NX PX; write: row, DEL"},
      {"write-through", "write: row, then SET of the new value; read misses fill with SET PX"},
      {"write-behind",
       "write: SET plus a dirty set; the last client flushes buffered entries to the rows"},
  };
  info.knobs = {
      {"items", KnobType::kCount, "1000", "items (rows) the keys are drawn from", 1},
      {"zipf", KnobType::kNumber, "1.0", "zipf exponent of the key distribution"},
      {"write-ratio", KnobType::kRatio, "0.1", "share of operations that are writes"},
      {"ttl", KnobType::kDuration, "5s", "cache entry TTL (and tombstone TTL)", 1},
      {"db-latency", KnobType::kDuration, "2ms", "added latency of every database query"},
      {"think", KnobType::kDuration, "1ms", "longest pause between a client's operations"},
      {"flush-interval", KnobType::kDuration, "500ms", "write-behind: time between flush batches",
       1},
      {"max-lag", KnobType::kDuration, "5s",
       "write-behind: longest acceptable time from a write's ok to its flush (db-lag)", 1},
      {"pause", KnobType::kDuration, "1s", "pause-client length at the fill hook", 1},
  };
  info.make = make_cache;
  info.checkers = cache_checkers;
  info.contract =
      "history: init {item: 0, ...}; write {version} (row then invalidate/update/buffer); read "
      "-> {version, source: cache|db}; flush {version} (write-behind flusher); db-read (final) "
      "-> {version}. Checked by cache-staleness: stale-read, lost-write, db-lag (max-lag), hit "
      "ratio and consistency within 100 ms / 1 s / 10 s as nines.\n"
      "--script (cache-aside-versioned): KEYS item key; ARGV version, value (the entry to store, "
      "\"<version>:<payload>\"; a tombstone has no payload), ttl in ms; returns 1 stored, 0 older "
      "than what is there.";
  return info;
}

}  // namespace redproof::cache
