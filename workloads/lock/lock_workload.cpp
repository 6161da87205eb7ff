#include "workloads/lock/lock_workload.hpp"

#include <stdexcept>

#include "checkers/double_holder_checker.hpp"
#include "workloads/lock/lock_client.hpp"
#include "workloads/lock/lock_generator.hpp"

namespace redproof::lock {

namespace {

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

  std::vector<std::unique_ptr<Checker>> make_checkers() override {
    DoubleHolderOptions o;
    o.fencing = options_.variant == LockVariant::kFencing;
    std::vector<std::unique_ptr<Checker>> out;
    out.push_back(std::make_unique<DoubleHolderChecker>(o));
    return out;
  }

  std::vector<std::string> pause_hooks() const override {
    std::vector<std::string> hooks{std::string(kHookBeforeWrite)};
    if (options_.variant == LockVariant::kGetDel) hooks.emplace_back(kHookBetweenGetAndDel);
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
            {"resource_writes_accepted", resource_->accepted()},
            {"resource_writes_rejected", resource_->rejected()}};
  }

 private:
  LockOptions options_;
  std::shared_ptr<FencedResource> resource_;
};

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
  };
  info.params = {
      {"ttl", "500ms", "lock TTL"},
      {"hold-min", "10ms", "shortest time a holder works before writing"},
      {"hold-max", "60ms", "longest time a holder works before writing"},
      {"retry", "10ms", "wait before retrying a busy lock"},
      {"locks", "1", "number of lock keys the clients contend for"},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    auto variant = parse_lock_variant(config.variant);
    if (!variant) throw std::invalid_argument("unknown lock variant " + config.variant);
    return std::make_unique<LockWorkload>(parse_lock_options(*variant, config.params));
  };
  return info;
}

}  // namespace redproof::lock
