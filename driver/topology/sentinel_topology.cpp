#include "driver/topology/sentinel_topology.hpp"

#include <map>
#include <stdexcept>

#include "redis/sync_command.hpp"

namespace redproof {

namespace {

using std::chrono::milliseconds;

constexpr int kSentinels = 3;
constexpr int kQuorum = 2;
constexpr milliseconds kDownAfter{1000};
constexpr milliseconds kFailoverTimeout{4000};
constexpr milliseconds kWatchInterval{100};

std::string sentinel_info_field(const redis::Reply& master, const std::string& field) {
  // SENTINEL MASTER answers a flat array: name, value, name, value, ...
  for (std::size_t i = 0; i + 1 < master.elements.size(); i += 2) {
    if (master.elements[i].str == field) return master.elements[i + 1].str;
  }
  return {};
}

}  // namespace

SentinelTopology::SentinelTopology(const TopologyOptions& options)
    : ReplicatedTopology(options, 2) {}

SentinelTopology::~SentinelTopology() {
  SentinelTopology::teardown();
}

void SentinelTopology::setup() {
  ReplicatedTopology::setup();
  const auto primary = replication_endpoint(index_of(this->primary()));
  for (int i = 0; i < kSentinels; ++i) {
    redis::LocalServerOptions o;
    o.name = "s" + std::to_string(i + 1);
    o.directory = options().nodes_directory + "/" + o.name;
    o.binary = options().server_binary;
    o.extra_args = {"--sentinel"};
    if (options().base_port != 0) {
      o.port = static_cast<std::uint16_t>(options().base_port + 100 + i);
    }
    if (namespaces()) {
      // Beside its server, as deployments put them: a partition cuts both off together.
      place_on_node(o, servers()[static_cast<std::size_t>(i)]->name());
      o.port = 26379;
    }
    const std::string m = kMasterName;
    o.extra_config = {
        "sentinel monitor " + m + " " + primary.host + " " + std::to_string(primary.port) + " " +
            std::to_string(kQuorum),
        "sentinel down-after-milliseconds " + m + " " + std::to_string(kDownAfter.count()),
        "sentinel failover-timeout " + m + " " + std::to_string(kFailoverTimeout.count()),
        "sentinel parallel-syncs " + m + " 2"};
    sentinels_.push_back(std::make_unique<redis::LocalServer>(o));
    sentinels_.back()->start();
  }
  // Ready when every Sentinel knows both replicas and the other Sentinels (hello messages go
  // out every 2 s), so that a failover can reach its quorum.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (const auto& s : sentinels_) {
    for (;;) {
      redis::Reply master;
      try {
        master = redis::sync_command(s->endpoint(), {"SENTINEL", "MASTER", kMasterName},
                                     milliseconds(1000));
      } catch (const redis::CommandError&) {
      }
      if (sentinel_info_field(master, "num-slaves") == "2" &&
          sentinel_info_field(master, "num-other-sentinels") == std::to_string(kSentinels - 1)) {
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        throw std::runtime_error(s->name() +
                                 ": Sentinel did not discover the replicas and the "
                                 "other Sentinels within 20 s (log: " +
                                 s->log_path() + ")");
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
  }
  watcher_ = std::thread([this] { watch(); });
}

void SentinelTopology::teardown() noexcept {
  stopping_ = true;
  if (watcher_.joinable()) watcher_.join();
  for (auto& s : sentinels_) {
    try {
      s->stop();
    } catch (...) {
    }
  }
  ReplicatedTopology::teardown();
}

std::optional<std::size_t> SentinelTopology::ask_sentinels() const {
  std::map<std::size_t, int> votes;
  for (const auto& s : sentinels_) {
    try {
      auto r = redis::sync_command(
          s->endpoint(), {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", kMasterName}, milliseconds(200));
      if (r.elements.size() != 2) continue;
      const redis::Endpoint at{r.elements[0].str,
                               static_cast<std::uint16_t>(std::stoul(r.elements[1].str))};
      if (auto i = node_at_replication_endpoint(at)) ++votes[*i];
    } catch (const std::exception&) {
      // a Sentinel that does not answer has no vote
    }
  }
  std::optional<std::size_t> best;
  int best_votes = 0;
  for (const auto& [node, n] : votes) {
    if (n > best_votes) best = node, best_votes = n;
  }
  return best;
}

void SentinelTopology::watch() {
  while (!stopping_) {
    if (auto i = ask_sentinels()) set_primary(servers()[*i]->name());
    for (int slept = 0; slept < kWatchInterval.count() && !stopping_; slept += 10) {
      std::this_thread::sleep_for(milliseconds(10));
    }
  }
}

Node SentinelTopology::client_node(int worker) const {
  const std::size_t i = index_of(primary());
  if (worker % 2 == 1) return {servers()[i]->name(), peer_endpoint(i)};
  return {servers()[i]->name(), client_endpoint(i)};
}

void SentinelTopology::promote(const std::string& replica) {
  throw std::runtime_error("Sentinel chooses the primary in the sentinel topology; " + replica +
                           " cannot be promoted by hand");
}

nlohmann::json SentinelTopology::describe() const {
  nlohmann::json d = ReplicatedTopology::describe();
  nlohmann::json sentinels = nlohmann::json::array();
  for (const auto& s : sentinels_) {
    sentinels.push_back({{"name", s->name()},
                         {"endpoint", s->endpoint().to_string()},
                         {"pid", s->pid()},
                         {"log", s->log_path()}});
  }
  d["sentinels"] = sentinels;
  d["quorum"] = kQuorum;
  d["down_after_ms"] = kDownAfter.count();
  return d;
}

}  // namespace redproof
