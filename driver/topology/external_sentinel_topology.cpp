#include "driver/topology/external_sentinel_topology.hpp"

#include <stdexcept>

#include "driver/topology/external_topology.hpp"
#include "redis/sync_command.hpp"

namespace redproof {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kAskTimeout{500};
constexpr milliseconds kWatchInterval{100};

std::shared_ptr<const redis::ConnectionSecurity> tls_only(
    const std::shared_ptr<const redis::ConnectionSecurity>& security) {
  if (!security || !security->tls) return nullptr;
  auto s = std::make_shared<redis::ConnectionSecurity>();
  s->tls = security->tls;
  return s;
}

}  // namespace

ExternalSentinelTopology::ExternalSentinelTopology(
    TargetAddress target, std::shared_ptr<const redis::ConnectionSecurity> security,
    bool allow_remote)
    : target_(std::move(target)),
      security_(std::move(security)),
      sentinel_security_(tls_only(security_)),
      allow_remote_(allow_remote) {}

ExternalSentinelTopology::~ExternalSentinelTopology() {
  ExternalSentinelTopology::teardown();
}

std::optional<redis::Endpoint> ExternalSentinelTopology::ask_sentinels(
    std::optional<redis::Endpoint>* refused) const {
  for (const auto& sentinel : target_.endpoints) {
    try {
      auto r = redis::sync_command(sentinel,
                                   {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", target_.master_name},
                                   kAskTimeout, sentinel_security_);
      if (r.elements.size() != 2) continue;  // nil: this Sentinel does not know the name
      const auto port = std::stoul(r.elements[1].str);
      if (port == 0 || port > 65535) continue;
      redis::Endpoint master{r.elements[0].str, static_cast<std::uint16_t>(port)};
      if (!allow_remote_ && !is_local_host(master.host)) {
        if (refused) *refused = master;
        continue;
      }
      return master;
    } catch (const std::exception&) {
      continue;  // down or unreachable: the next one
    }
  }
  return std::nullopt;
}

void ExternalSentinelTopology::setup() {
  std::optional<redis::Endpoint> refused;
  const auto master = ask_sentinels(&refused);
  if (!master && refused) {
    throw std::runtime_error("--target sentinel://...: master " + target_.master_name +
                             " is named at " + remote_refusal(refused->to_string()));
  }
  if (!master) {
    throw std::runtime_error("--target sentinel://...: no Sentinel named a master for " +
                             target_.master_name + " (asked " +
                             std::to_string(target_.endpoints.size()) + ")");
  }
  {
    std::lock_guard lock(mutex_);
    master_ = *master;
  }
  version_ = target_server_version(
      "sentinel master " + target_.master_name + " at " + master->to_string(), *master, security_);
  watcher_ = std::jthread([this](std::stop_token stop) { watch(stop); });
}

void ExternalSentinelTopology::watch(std::stop_token stop) {
  std::mutex sleep_mutex;
  while (!stop.stop_requested()) {
    if (auto now = ask_sentinels()) {
      std::lock_guard lock(mutex_);
      if (!(*now == master_)) ++failovers_seen_;
      master_ = *now;
    }
    std::unique_lock sleep(sleep_mutex);
    wake_.wait_for(sleep, stop, kWatchInterval, [] { return false; });
  }
}

void ExternalSentinelTopology::teardown() noexcept {
  if (watcher_.joinable()) {
    watcher_.request_stop();
    watcher_.join();
  }
}

Node ExternalSentinelTopology::client_node(int /*worker*/) const {
  std::lock_guard lock(mutex_);
  return {"master", master_};
}

nlohmann::json ExternalSentinelTopology::describe() const {
  nlohmann::json sentinels = nlohmann::json::array();
  for (const auto& s : target_.endpoints) sentinels.push_back(s.to_string());
  std::lock_guard lock(mutex_);
  nlohmann::json d = {{"kind", "target-sentinel"},
                      {"master_name", target_.master_name},
                      {"sentinels", sentinels},
                      {"nodes", {{{"name", "master"}, {"endpoint", master_.to_string()}}}},
                      {"master_changes_seen", failovers_seen_},
                      {"server_version", version_}};
  if (security_) d["security"] = describe_security(security_.get());
  return d;
}

}  // namespace redproof
