#include "workloads/rate_limit/rate_limit_workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "checkers/rate_limit_checker.hpp"
#include "workloads/rate_limit/rate_limit_client.hpp"
#include "workloads/rate_limit/rate_limit_generator.hpp"
#include "workloads/rate_limit/rate_limit_hooks.hpp"

namespace redproof::rate_limit {

namespace {

class RateLimitWorkload : public Workload {
 public:
  RateLimitWorkload(const Settings& settings, int clients, std::shared_ptr<const UserScript> user)
      : settings_(settings), clients_(clients), user_(std::move(user)) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<RateLimitClient>(setup, settings_, user_);
  }
  std::unique_ptr<Generator> make_generator(int worker, Random rng, std::int64_t end_ns) override {
    return rate_limit::make_generator(settings_, clients_, worker, rng, end_ns);
  }
  std::vector<Hook> hooks() const override {
    return {kHookBeforeRequest, kHookBetweenIncrAndExpire};
  }
  // fixed-window's pause-client is the crash between INCR and PEXPIRE (matrix F8: the counter
  // never expires); the others pause before asking, which no correct limiter minds.
  std::vector<Hook> pause_hooks() const override {
    if (settings_.variant == Variant::kFixedWindow) return {kHookBetweenIncrAndExpire};
    return {kHookBeforeRequest};
  }
  std::chrono::milliseconds client_pause_length() const override {
    return settings_.window + std::chrono::milliseconds(100);
  }
  nlohmann::json describe() const override {
    nlohmann::json j = {{"variant", std::string(variant_name(settings_.variant))},
                        {"limit", settings_.limit},
                        {"window_ms", settings_.window.count()},
                        {"capacity", settings_.capacity},
                        {"rate_per_s", settings_.rate},
                        {"identities", settings_.identities},
                        {"arrival_per_s", settings_.arrival},
                        {"boundary_workers", boundary_workers(settings_, clients_)}};
    if (user_) j["script"] = user_->path;
    return j;
  }

 private:
  Settings settings_;
  int clients_;
  std::shared_ptr<const UserScript> user_;
};

std::unique_ptr<Workload> make(const WorkloadConfig& config) {
  const Settings s = settings(config.variant, config.knobs);
  std::shared_ptr<const UserScript> user;
  if (config.script) {
    if (!has_lua(s.variant)) {
      throw std::invalid_argument(
          fmt::format("--script: rate-limit variant {} has no Lua core (use sliding-log-lua, "
                      "token-bucket-lua or gcra-lua)",
                      variant_name(s.variant)));
    }
    // A bad template is the user's mistake: say so now, not from inside a request.
    user_script_argv(config.script->argv_template, lua_argv_names(s.variant), lua_argv(s, "id"));
    user = std::make_shared<const UserScript>(*config.script);
  }
  return std::make_unique<RateLimitWorkload>(s, config.clients, std::move(user));
}

CheckerList checkers(const CheckerSetup& setup) {
  CheckerList out;
  out.push_back(std::make_unique<RateLimitChecker>(checker_options(setup.variant, setup.knobs)));
  return out;
}

constexpr const char* kContract =
    "history: request (key = the limited identity), invoke value null, ok value true "
    "(admitted) or false (rejected); info = unknown, never counted as admitted.\n"
    "checked: over-admission (sliding window: more than limit within less than window; "
    "fixed-window: more than 2 x limit, with boundary-burst noted above limit; token bucket and "
    "GCRA: more than capacity + rate x span) and under-admission (a rejection with fewer than "
    "limit admitted-or-unknown requests in the window before it; buckets: none in capacity/rate).\n"
    "--script FILE.lua (Lua variants only) receives:\n"
    "  sliding-log-lua            KEYS[1] limited key; ARGV limit, window in ms, a unique "
    "request id -> 1 admitted, 0 rejected (read the server's TIME yourself)\n"
    "  token-bucket-lua, gcra-lua KEYS[1] limited key; ARGV capacity, refill per second, "
    "requested tokens -> 1 admitted, 0 rejected (server TIME)\n"
    "  --script-argv names: {limit} {window} {id} / {capacity} {rate} {tokens}; a reply that is "
    "an integer or a table whose first element is one is accepted (positive = admitted).";

}  // namespace

WorkloadInfo rate_limit_workload_info() {
  WorkloadInfo info;
  info.name = "rate-limit";
  info.summary = "identities asking a limiter whether each request is admitted";
  info.variants = {
      {"sliding-log-lua", "ZSET log trimmed, counted and added in one Lua script (server TIME)"},
      {"token-bucket-lua", "token bucket in a hash, refilled in Lua (server TIME)"},
      {"gcra-lua", "GCRA: one theoretical arrival time, in Lua (server TIME)"},
      {"fixed-window",
       "INCR, then PEXPIRE when the count is 1 (up to 2x at a boundary, by design)"},
      {"sliding-log", "ZREMRANGEBYSCORE, ZCARD, ZADD as separate commands, client clock", true},
  };
  info.knobs = {
      {"limit", KnobType::kCount, "10", "requests admitted per window (window variants)", 1},
      {"window", KnobType::kDuration, "1s", "the window's length (window variants)", 10},
      {"capacity", KnobType::kCount, "10", "bucket capacity, the burst (bucket variants)", 1},
      {"rate", KnobType::kNumber, "10", "tokens refilled per second (bucket variants)", 0.001},
      {"identities", KnobType::kCount, "4", "limited identities of the steady workers", 1},
      {"arrival", KnobType::kNumber, "40",
       "requests per second per steady identity (above the limit, so some are rejected)", 0.01},
      {"burst-at-boundary", KnobType::kRatio, "0.4",
       "share of workers that each aim bursts at their own identity's window boundaries"},
  };
  info.make = make;
  info.checkers = checkers;
  info.contract = kContract;
  return info;
}

}  // namespace redproof::rate_limit
