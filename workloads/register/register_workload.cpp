#include "workloads/register/register_workload.hpp"

#include <stdexcept>

#include "checkers/linearizable_checker.hpp"
#include "workloads/register/register_client.hpp"
#include "workloads/register/register_generator.hpp"

namespace redproof::reg {

namespace {

class RegisterWorkload : public Workload {
 public:
  explicit RegisterWorkload(const RegisterOptions& options) : options_(options) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<RegisterClient>(setup);
  }
  std::unique_ptr<Generator> make_generator(int, Random rng, std::int64_t end_ns) override {
    return std::make_unique<RegisterGenerator>(options_, rng, end_ns);
  }
  std::unique_ptr<Generator> make_final_generator(int, std::int64_t load_end_ns) override {
    return std::make_unique<FinalReadGenerator>(options_, load_end_ns);
  }
  std::vector<std::unique_ptr<Checker>> make_checkers() override {
    std::vector<std::unique_ptr<Checker>> out;
    out.push_back(std::make_unique<LinearizableChecker>(
        options_.variant == RegisterVariant::kLuaCas ? "cas-register" : "register"));
    return out;
  }
  std::vector<std::string> pause_hooks() const override { return {}; }
  std::chrono::milliseconds client_pause_length() const override {
    return std::chrono::milliseconds(1000);
  }
  nlohmann::json describe() const override {
    return {{"variant", options_.variant == RegisterVariant::kLuaCas ? "lua-cas" : "get-set"},
            {"keys", options_.keys},
            {"values", options_.values},
            {"key_period_ms", options_.key_period.count()},
            {"think_ms", options_.think.count()}};
  }

 private:
  RegisterOptions options_;
};

}  // namespace

WorkloadInfo register_workload_info() {
  WorkloadInfo info;
  info.name = "register";
  info.summary = "read/write (and compare-and-set) registers, checked for linearizability";
  info.variants = {
      {"get-set", "GET and SET of integers: a register", false},
      {"lua-cas", "GET, SET and a Lua compare-and-set: a cas-register", false},
  };
  info.params = {
      {"keys", "4", "registers in use at a time"},
      {"values", "5", "distinct values written"},
      {"key-period", "2s", "keys are replaced by fresh ones this often"},
      {"think", "1ms", "pause between a client's operations"},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    RegisterVariant v;
    if (config.variant == "get-set") {
      v = RegisterVariant::kGetSet;
    } else if (config.variant == "lua-cas") {
      v = RegisterVariant::kLuaCas;
    } else {
      throw std::invalid_argument("unknown register variant " + config.variant);
    }
    return std::make_unique<RegisterWorkload>(parse_register_options(v, config.params));
  };
  return info;
}

}  // namespace redproof::reg
