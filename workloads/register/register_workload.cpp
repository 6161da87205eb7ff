#include "workloads/register/register_workload.hpp"

#include <stdexcept>

#include "checkers/linearizable_checker.hpp"
#include "workloads/register/register_client.hpp"
#include "workloads/register/register_generator.hpp"

namespace redproof::reg {

namespace {

RegisterVariant variant_of(const std::string& name) {
  if (name == "get-set") return RegisterVariant::kGetSet;
  if (name == "lua-cas") return RegisterVariant::kLuaCas;
  throw std::invalid_argument("unknown register variant " + name);
}

class RegisterWorkload : public Workload {
 public:
  explicit RegisterWorkload(const RegisterOptions& options) : options_(options) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<RegisterClient>(setup, options_.ttl);
  }
  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    return std::make_unique<RegisterGenerator>(options_, rng, end_ns, worker);
  }
  std::unique_ptr<Generator> make_final_generator(int, std::int64_t load_end_ns) override {
    return std::make_unique<FinalReadGenerator>(options_, load_end_ns);
  }
  std::chrono::milliseconds client_pause_length() const override {
    return std::chrono::milliseconds(1000);
  }
  nlohmann::json describe() const override {
    return {{"variant", options_.variant == RegisterVariant::kLuaCas ? "lua-cas" : "get-set"},
            {"keys", options_.keys},
            {"values", options_.values},
            {"key_period_ms", options_.key_period.count()},
            {"think_ms", options_.think.count()},
            {"ttl_ms", options_.ttl.count()}};
  }

 private:
  RegisterOptions options_;
};

CheckerList register_checkers(const CheckerSetup& setup) {
  CheckerList out;
  out.push_back(std::make_unique<LinearizableChecker>(
      variant_of(setup.variant) == RegisterVariant::kLuaCas ? "cas-register" : "register", "",
      setup.budget));
  return out;
}

}  // namespace

WorkloadInfo register_workload_info() {
  WorkloadInfo info;
  info.name = "register";
  info.summary = "read/write (and compare-and-set) registers, checked for linearizability";
  info.variants = {
      {"get-set", "GET and SET of integers: a register", false},
      {"lua-cas", "GET, SET and a Lua compare-and-set: a cas-register", false},
  };
  info.knobs = {
      {"keys", KnobType::kCount, "4", "registers in use at a time", 1},
      {"values", KnobType::kCount, "0",
       "distinct values written (0: every write unique, which keeps unknown writes cheap to "
       "check)"},
      {"key-period", KnobType::kDuration, "2s", "keys are replaced by fresh ones this often", 1},
      {"think", KnobType::kDuration, "1ms", "pause between a client's operations"},
      {"ttl", KnobType::kDuration, "1h",
       "TTL every write sets (0: none); long enough never to expire in a run, but it makes the "
       "keys volatile, so eviction under volatile-lru can strike them"},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    if (config.script) throw std::invalid_argument("--script: the register workload takes no Lua");
    return std::make_unique<RegisterWorkload>(
        register_options(variant_of(config.variant), config.knobs));
  };
  info.checkers = register_checkers;
  info.contract =
      "history: read -> value; write value; cas [old, new] (lua-cas); keys are replaced every "
      "key-period; final reads of every key. Checked for linearizability (register or "
      "cas-register model).";
  return info;
}

}  // namespace redproof::reg
