#include "faults/eviction_fault.hpp"

#include <stdexcept>

#include "redis/sync_command.hpp"

namespace redproof {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kControlTimeout{2000};
constexpr std::int64_t kHeadroomBytes = 1 << 20;  // maxmemory = used + 1 MB (anomalies.md)
constexpr std::size_t kFillerBytes = 16 * 1024;
constexpr int kFillerKeys = 512;          // written round-robin: at most 8 MB
constexpr milliseconds kFillerPeriod{2};  // ~500 writes/s, each forcing evictions

const char* kFillerPrefix = "redproof:filler:";

redis::Reply control(const redis::Endpoint& at, std::vector<std::string> args) {
  return redis::sync_command(at, std::move(args), kControlTimeout);
}

std::int64_t info_field(const std::string& info, const std::string& field) {
  auto at = info.find(field + ":");
  if (at == std::string::npos) return 0;
  return std::stoll(info.substr(at + field.size() + 1));
}

std::string config_value(const redis::Endpoint& at, const std::string& name) {
  auto r = control(at, {"CONFIG", "GET", name});
  if (r.elements.size() != 2) throw std::runtime_error("CONFIG GET " + name + ": " + r.describe());
  return r.elements[1].str;
}

void expect_ok(const redis::Reply& r, const std::string& what) {
  if (!r.is_status("OK")) throw std::runtime_error(what + ": " + r.describe());
}

}  // namespace

EvictionFault::EvictionFault(ServerControl& servers, ReplicationControl* replication,
                             std::string policy)
    : servers_(servers), replication_(replication), policy_(std::move(policy)) {}

EvictionFault::~EvictionFault() {
  EvictionFault::heal();
}

milliseconds EvictionFault::duration(Random& rng) {
  return milliseconds(rng.uniform(1000, 3000));
}

FaultAction EvictionFault::start(Random& rng) {
  std::string node;
  if (replication_) {
    node = replication_->primary();
  } else {
    auto names = servers_.server_names();
    if (names.empty()) throw std::runtime_error("eviction: the topology has no server");
    node = names[rng.uniform(0, static_cast<std::int64_t>(names.size()) - 1)];
  }
  const auto at = servers_.server_endpoint(node);
  Saved saved{config_value(at, "maxmemory"), config_value(at, "maxmemory-policy")};
  saved_[node] = saved;  // before changing anything: heal() restores a half-done start
  const std::string info = control(at, {"INFO"}).str;
  const std::int64_t limit = info_field(info, "used_memory") + kHeadroomBytes;
  evicted_before_ = info_field(info, "evicted_keys");
  expect_ok(control(at, {"CONFIG", "SET", "maxmemory-policy", policy_}), node + ": CONFIG SET");
  expect_ok(control(at, {"CONFIG", "SET", "maxmemory", std::to_string(limit)}),
            node + ": CONFIG SET");

  filling_ = true;
  fillers_written_ = 0;
  filler_ = std::thread([this, at] {
    const std::string value(kFillerBytes, 'f');
    for (int i = 0; filling_; i = (i + 1) % kFillerKeys) {
      try {
        control(at, {"SET", kFillerPrefix + std::to_string(i), value, "EX", "3600"});
        ++fillers_written_;
      } catch (const std::exception&) {
        // the server may be paused or restarting under another fault: keep trying
      }
      std::this_thread::sleep_for(kFillerPeriod);
    }
  });
  return {"start-eviction", {{"node", node}, {"maxmemory", limit}, {"policy", policy_}}};
}

void EvictionFault::stop_filler() noexcept {
  filling_ = false;
  if (filler_.joinable()) filler_.join();
}

std::int64_t EvictionFault::restore(const std::string& node) {
  const Saved& saved = saved_.at(node);
  const auto at = servers_.server_endpoint(node);
  const std::int64_t evicted =
      info_field(control(at, {"INFO", "stats"}).str, "evicted_keys") - evicted_before_;
  // The limit goes first, so that deleting the fillers is not itself under pressure.
  control(at, {"CONFIG", "SET", "maxmemory", saved.maxmemory});
  control(at, {"CONFIG", "SET", "maxmemory-policy", saved.policy});
  std::vector<std::string> del{"UNLINK"};
  for (int i = 0; i < kFillerKeys; ++i) del.push_back(kFillerPrefix + std::to_string(i));
  control(at, del);
  return evicted;
}

FaultAction EvictionFault::stop() {
  stop_filler();
  nlohmann::json target = nullptr;
  for (auto it = saved_.begin(); it != saved_.end();) {
    const std::int64_t evicted = restore(it->first);
    target = {{"node", it->first},
              {"evicted_keys", evicted},
              {"fillers_written", fillers_written_.load()}};
    it = saved_.erase(it);
  }
  return {"stop-eviction", target, !target.is_null()};
}

void EvictionFault::heal() noexcept {
  stop_filler();
  for (auto it = saved_.begin(); it != saved_.end();) {
    try {
      restore(it->first);
      it = saved_.erase(it);
    } catch (...) {
      ++it;  // unreachable now (killed, paused): the next heal tries again
    }
  }
}

}  // namespace redproof
