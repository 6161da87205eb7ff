#include "faults/clock_jump_fault.hpp"

#include <stdexcept>

#include "redis/sync_command.hpp"

namespace redproof {

namespace {

using std::chrono::milliseconds;

// SCAN inside one script: no client sees a half-jumped keyspace.
constexpr const char* kJumpScript = R"(
local delta = tonumber(ARGV[1])
local cursor = "0"
local shortened, expired = 0, 0
repeat
  local r = redis.call('SCAN', cursor, 'COUNT', 1000)
  cursor = r[1]
  for _, key in ipairs(r[2]) do
    local ttl = redis.call('PTTL', key)
    if ttl > 0 then
      if ttl <= delta then
        redis.call('DEL', key)
        expired = expired + 1
      else
        redis.call('PEXPIRE', key, ttl - delta)
        shortened = shortened + 1
      end
    end
  end
until cursor == "0"
return {shortened, expired})";

}  // namespace

ClockJumpFault::ClockJumpFault(ServerControl& servers, ReplicationControl* replication,
                               milliseconds min_jump, milliseconds max_jump)
    : servers_(servers), replication_(replication), min_jump_(min_jump), max_jump_(max_jump) {}

milliseconds ClockJumpFault::duration(Random&) {
  return milliseconds(200);  // the jump is instant; the window only marks it in the report
}

std::pair<std::int64_t, std::int64_t> ClockJumpFault::jump(const redis::Endpoint& at,
                                                           milliseconds jump) {
  auto r = redis::sync_command(at, {"EVAL", kJumpScript, "0", std::to_string(jump.count())},
                               milliseconds(5000));
  if (r.elements.size() != 2) throw std::runtime_error("clock-jump script: " + r.describe());
  return {r.elements[0].integer, r.elements[1].integer};
}

FaultAction ClockJumpFault::start(Random& rng) {
  if (replication_) {
    last_node_ = replication_->primary();
  } else {
    auto names = servers_.server_names();
    if (names.empty()) throw std::runtime_error("clock-jump: the topology has no server");
    last_node_ = names[rng.uniform(0, static_cast<std::int64_t>(names.size()) - 1)];
  }
  const milliseconds delta(rng.uniform(min_jump_.count(), max_jump_.count()));
  auto [shortened, expired] = jump(servers_.server_endpoint(last_node_), delta);
  return {"clock-jump",
          {{"node", last_node_},
           {"jump_ms", delta.count()},
           {"ttls_shortened", shortened},
           {"keys_expired", expired}}};
}

FaultAction ClockJumpFault::stop() {
  return {"clock-jump-end", {{"node", last_node_}}};
}

}  // namespace redproof
