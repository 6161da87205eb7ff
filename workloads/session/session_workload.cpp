#include "workloads/session/session_workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "checkers/session_checker.hpp"
#include "workloads/generators/phases.hpp"
#include "workloads/generators/time_limit.hpp"
#include "workloads/session/session_client.hpp"
#include "workloads/session/session_hooks.hpp"

namespace redproof::session {

namespace {

struct SessionOptions {
  std::int64_t ttl_ms = 0;
  std::int64_t sessions = 0;
  std::int64_t refreshes = 0;
  std::int64_t think_ns = 0;
};

std::string session_key(std::int64_t i) {
  return fmt::format("session:{}", i);
}

// One user's visit, repeated: log in to a random session, refresh it (and, as another web
// server would, one other session) a few times, log out.
std::vector<gen::CycleStep> visit(const SessionOptions& o) {
  const std::string ttl = fmt::format(R"({{"ttl_ms":{}}})", o.ttl_ms);
  std::vector<gen::CycleStep> steps;
  auto own = std::make_shared<std::string>();
  steps.push_back([o, ttl, own](const Op*, Random& rng) {
    *own = session_key(rng.uniform(0, o.sessions - 1));
    return GeneratorStep::operation("login", *own, ttl);
  });
  for (std::int64_t i = 0; i < o.refreshes; ++i) {
    steps.push_back(
        [ttl, own](const Op*, Random&) { return GeneratorStep::operation("refresh", *own, ttl); });
    steps.push_back([o, ttl](const Op*, Random& rng) {
      return GeneratorStep::operation("refresh", session_key(rng.uniform(0, o.sessions - 1)), ttl);
    });
  }
  steps.push_back([own](const Op*, Random&) { return GeneratorStep::operation("logout", *own); });
  return steps;
}

class SessionWorkload : public Workload {
 public:
  explicit SessionWorkload(SessionOptions o) : o_(o) {}

  std::unique_ptr<Client> make_client(const ClientSetup& setup) override {
    return std::make_unique<SessionClient>(setup);
  }
  std::unique_ptr<Generator> make_generator(int, Random rng, std::int64_t end_ns) override {
    auto cycle = std::make_unique<gen::Cycle>(rng.fork("cycle"), visit(o_));
    return std::make_unique<gen::TimeLimit>(
        end_ns,
        std::make_unique<gen::ThinkTime>(rng.fork("think"), 0, o_.think_ns, std::move(cycle)));
  }
  std::vector<Hook> pause_hooks() const override { return {kHookBeforeRefresh}; }
  std::chrono::milliseconds client_pause_length() const override {
    return std::chrono::milliseconds(o_.ttl_ms + 500);
  }
  nlohmann::json describe() const override {
    return {{"variant", "hash-ttl"},
            {"ttl_ms", o_.ttl_ms},
            {"sessions", o_.sessions},
            {"refreshes", o_.refreshes},
            {"think_ms", o_.think_ns / 1e6}};
  }

 private:
  SessionOptions o_;
};

}  // namespace

WorkloadInfo session_workload_info() {
  WorkloadInfo info;
  info.name = "session";
  info.summary = "web sessions as hashes with a sliding TTL, refreshed from several web servers";
  info.variants = {
      {"hash-ttl", "HSET + PEXPIRE in MULTI/EXEC; refresh = HGETALL + PEXPIRE", false, ""}};
  info.knobs = {
      {"ttl", KnobType::kDuration, "3s", "the session TTL, pushed back by every refresh", 10},
      {"sessions", KnobType::kCount, "20", "session ids in use", 1},
      {"refreshes", KnobType::kCount, "5", "refreshes of its own session per visit", 1},
      {"think", KnobType::kDuration, "5ms", "longest pause between a web server's requests"},
  };
  info.make = [](const WorkloadConfig& config) -> std::unique_ptr<Workload> {
    if (config.script) throw std::invalid_argument("--script: the session workload takes no Lua");
    SessionOptions o;
    o.ttl_ms = config.knobs.milliseconds("ttl").count();
    o.sessions = config.knobs.count("sessions");
    o.refreshes = config.knobs.count("refreshes");
    o.think_ns = config.knobs.duration("think").count();
    return std::make_unique<SessionWorkload>(o);
  };
  info.checkers = [](const CheckerSetup& setup) {
    CheckerList out;
    out.push_back(std::make_unique<SessionChecker>(setup.knobs.milliseconds("ttl").count()));
    return out;
  };
  info.contract =
      "history: login {\"ttl_ms\": T} -> null; refresh {\"ttl_ms\": T} -> the session's data or "
      "null; logout -> null (key: the session id). Checked by `session`: resurrected-session, "
      "forced-logout.";
  return info;
}

}  // namespace redproof::session
