#include "workloads/lock/lock_workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "checkers/double_holder_checker.hpp"
#include "checkers/lock_stuck_checker.hpp"
#include "workloads/generators/sequence.hpp"
#include "workloads/lock/lock_client.hpp"
#include "workloads/lock/lock_generator.hpp"

namespace redproof::lock {

namespace {

LockVariant variant_of(const std::string& name) {
  auto variant = parse_lock_variant(name);
  if (!variant) throw std::invalid_argument("unknown lock variant " + name);
  return *variant;
}

class LockWorkload : public Workload {
 public:
  explicit LockWorkload(const LockOptions& options)
      : options_(options),
        resource_(std::make_shared<FencedResource>(options.variant == LockVariant::kFencing)) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<LockClient>(setup, options_, resource_);
  }

  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    return std::make_unique<LockGenerator>(options_, worker, rng, end_ns);
  }

  // One `inspect` of every lock key once the servers have settled: a lock still held with no
  // expiry then can never be acquired again (lock-stuck).
  std::unique_ptr<Generator> make_final_generator(int worker, std::int64_t) override {
    if (worker != 0) return nullptr;
    std::vector<GeneratorStep> reads;
    for (int i = 0; i < options_.locks; ++i) {
      reads.push_back(GeneratorStep::operation("inspect", fmt::format("lock:{{{}}}", i)));
    }
    return std::make_unique<gen::Sequence>(std::move(reads));
  }

  std::vector<Hook> hooks() const override {
    return {kHookBeforeWrite, kHookBetweenGetAndDel, kHookBetweenSetnxAndExpire};
  }

  std::vector<Hook> pause_hooks() const override {
    // watchdog: the holder stalls after checking its (renewed) validity, past the lease.
    std::vector<Hook> hooks{kHookBeforeWrite};
    if (options_.variant == LockVariant::kGetDel) hooks.push_back(kHookBetweenGetAndDel);
    if (options_.variant == LockVariant::kSetnxExpire) {
      hooks = {kHookBetweenSetnxAndExpire};  // the window that variant exists to show
    }
    return hooks;
  }

  // Longer than the TTL, so the paused holder's lock expires under it.
  std::chrono::milliseconds client_pause_length() const override {
    return options_.ttl + std::max(std::chrono::milliseconds(100), options_.ttl / 2);
  }

  nlohmann::json describe() const override {
    return {{"variant", std::string(lock_variant_name(options_.variant))},
            {"ttl_ms", options_.ttl.count()},
            {"validity_ms", options_.validity().count()},
            {"hold_ms", {options_.hold_min.count(), options_.hold_max.count()}},
            {"retry_ms", options_.retry.count()},
            {"locks", options_.locks},
            {"work_ms", options_.work.count()},
            {"resource_writes_accepted", resource_->accepted()},
            {"resource_writes_rejected", resource_->rejected()}};
  }

 private:
  LockOptions options_;
  std::shared_ptr<FencedResource> resource_;
};

CheckerList lock_checkers(const CheckerSetup& setup) {
  DoubleHolderOptions o;
  o.fencing = variant_of(setup.variant) == LockVariant::kFencing;
  CheckerList out;
  out.push_back(std::make_unique<DoubleHolderChecker>(o));
  out.push_back(std::make_unique<LockStuckChecker>());
  return out;
}

}  // namespace

WorkloadInfo lock_workload_info() {
  WorkloadInfo info;
  info.name = "lock";
  info.summary =
      "distributed lock: acquire with a TTL, hold, write the protected resource, release";
  info.variants = {
      {"lua-release", "SET NX PX; release with a Lua compare-and-delete", false},
      {"fencing", "lua-release plus an INCR fencing token the resource checks", false},
      {"redlock",
       "Redlock over independent masters: SET NX PX on each, held when a majority agreed "
       "within the validity; Lua release on all",
       false, "redlock"},
      {"get-del", "SET NX PX; release with GET, compare, DEL (not atomic)", true},
      {"setnx-expire", "SETNX then PEXPIRE (not atomic); Lua release", true},
      {"watchdog",
       "SET NX PX; the lease renewed (Lua compare-and-PEXPIRE) every ttl/3 while the holder "
       "works; the holder stops when a renewal fails; Lua release",
       false},
  };
  info.knobs = {
      {"ttl", KnobType::kDuration, "500ms", "lock TTL", 20},
      {"hold-min", KnobType::kDuration, "50ms", "shortest time a holder works before writing"},
      {"hold-max", KnobType::kDuration, "300ms", "longest time a holder works before writing"},
      {"retry", KnobType::kDuration, "10ms", "wait before retrying a busy lock"},
      {"locks", KnobType::kCount, "1", "number of lock keys the clients contend for", 1},
      {"work", KnobType::kDuration, "1s",
       "watchdog: how long a holder works (renewing every ttl/3) before writing", 1},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    const LockVariant v = variant_of(config.variant);
    LockOptions options = lock_options(v, config.knobs);
    if (config.script) {
      if (v != LockVariant::kLuaRelease && v != LockVariant::kFencing &&
          v != LockVariant::kWatchdog) {
        throw std::invalid_argument("--script: lock's " + config.variant +
                                    " has no Lua release; use lua-release, fencing or watchdog");
      }
      user_script_argv(config.script->argv_template, {"owner"}, {{"owner", "o"}});  // throws
      options.release_script = config.script;
    }
    return std::make_unique<LockWorkload>(options);
  };
  info.checkers = lock_checkers;
  info.contract =
      "history: acquire {owner, ttl_ms} -> {owner, validity_ms, fence?}; write {owner, fence}; "
      "release {owner} -> {released}; renew {owner, ttl_ms} -> {validity_ms} (watchdog; fail: "
      "the lease was gone); inspect (final) -> {owner, pttl_ms}\n"
      "--script (lua-release, fencing, watchdog): the release. KEYS[1] lock key, ARGV[1] owner "
      "({owner} in --script-argv); return 1 released, 0 not the owner.";
  return info;
}

}  // namespace redproof::lock
