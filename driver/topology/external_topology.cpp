#include "driver/topology/external_topology.hpp"

#include <charconv>
#include <sstream>
#include <stdexcept>

#include "redis/sync_command.hpp"
#include "redis/tls_context.hpp"

namespace redproof {

namespace {

constexpr std::chrono::milliseconds kSetupTimeout{2000};

std::string info_field(const std::string& info, const std::string& field) {
  const auto pos = info.find(field + ":");
  if (pos == std::string::npos) return {};
  const auto start = pos + field.size() + 1;
  return info.substr(start, info.find_first_of("\r\n", start) - start);
}

std::string target_text(const TargetAddress& t) {
  std::string out = t.kind == TargetAddress::Kind::kCluster ? "cluster://" : "";
  for (std::size_t i = 0; i < t.endpoints.size(); ++i) {
    out += (i ? "," : "") + t.endpoints[i].to_string();
  }
  return out;
}

}  // namespace

std::string target_server_version(const std::string& target_text, const redis::Endpoint& endpoint,
                                  std::shared_ptr<const redis::ConnectionSecurity> security) {
  try {
    auto info = redis::sync_command(endpoint, {"INFO", "server"}, kSetupTimeout, security);
    if (info.is_error()) throw redis::CommandError(endpoint.to_string() + ": INFO: " + info.str);
    return info_field(info.str, "redis_version");
  } catch (const redis::CommandError& e) {
    // sync_command names the endpoint, which a plain target's text already is.
    std::string why = e.what();
    const std::string prefix = endpoint.to_string() + ": ";
    if (target_text == endpoint.to_string() && why.starts_with(prefix)) why.erase(0, prefix.size());
    throw std::runtime_error("--target " + target_text + ": " + why);
  }
}

ExternalTopology::ExternalTopology(TargetAddress target,
                                   std::shared_ptr<const redis::ConnectionSecurity> security,
                                   bool allow_remote)
    : target_(std::move(target)),
      security_(std::move(security)),
      endpoint_(target_.endpoints.front()),
      allow_remote_(allow_remote) {}

std::vector<redis::Endpoint> cluster_node_endpoints(const std::string& cluster_nodes) {
  std::vector<redis::Endpoint> out;
  std::istringstream lines(cluster_nodes);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string id, address;
    if (!(fields >> id >> address)) continue;
    // Redis writes IPv6 hosts without brackets ("::1:7000@17000"): the port follows the last ':'.
    address = address.substr(0, address.find_first_of("@,"));
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) continue;
    std::string host = address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    unsigned port = 0;
    const char* end = address.data() + address.size();
    const auto [ptr, ec] = std::from_chars(address.data() + colon + 1, end, port);
    // ":0" is a node that has not learnt its address yet.
    if (host.empty() || ec != std::errc() || ptr != end || port == 0 || port > 65535) continue;
    out.push_back({std::move(host), static_cast<std::uint16_t>(port)});
  }
  return out;
}

namespace {

// Throws when a node of the cluster at `seed` is remote: MOVED would send load to it.
void refuse_remote_nodes(const std::string& text, const redis::Endpoint& seed,
                         const std::shared_ptr<const redis::ConnectionSecurity>& security) {
  auto nodes = redis::sync_command(seed, {"CLUSTER", "NODES"}, kSetupTimeout, security);
  if (nodes.is_error()) {
    throw std::runtime_error("--target " + text + ": CLUSTER NODES: " + nodes.str);
  }
  for (const redis::Endpoint& node : cluster_node_endpoints(nodes.str)) {
    if (is_local_host(node.host)) continue;
    throw std::runtime_error("--target " + text + ": the cluster lists node " +
                             remote_refusal(node.to_string()));
  }
}

}  // namespace

void ExternalTopology::setup() {
  const std::string text = target_text(target_);
  std::string why;
  // A cluster's seeds are tried in turn, as client libraries do; the first that answers routes.
  for (const auto& seed : target_.endpoints) {
    try {
      version_ = target_server_version(text, seed, security_);
      endpoint_ = seed;
      why.clear();
      break;
    } catch (const std::runtime_error& e) {
      if (why.empty()) why = e.what();
    }
  }
  if (!why.empty()) throw std::runtime_error(why);
  if (!cluster()) return;
  auto info = redis::sync_command(endpoint_, {"CLUSTER", "INFO"}, kSetupTimeout, security_);
  const std::string state = info.is_error() ? info.str : info_field(info.str, "cluster_state");
  if (state != "ok") {
    throw std::runtime_error("--target " + text + ": " + endpoint_.to_string() +
                             " is not a healthy cluster node (cluster_state: " + state + ")");
  }
  if (!allow_remote_) refuse_remote_nodes(text, endpoint_, security_);
}

nlohmann::json describe_security(const redis::ConnectionSecurity* security) {
  if (!security) return nullptr;
  nlohmann::json d = nlohmann::json::object();
  if (security->authenticates()) {
    d["auth"] = {{"user", security->user.empty() ? "default" : security->user},
                 {"password", "set"}};
  }
  if (security->tls) {
    const auto& s = security->tls->settings();
    d["tls"] = {{"cacert", s.cacert.empty() ? "system" : s.cacert},
                {"client_cert", s.cert.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.cert)},
                {"sni", s.sni}};
  }
  return d;
}

nlohmann::json ExternalTopology::describe() const {
  nlohmann::json d = {{"kind", cluster() ? "target-cluster" : "target"},
                      {"nodes", {{{"name", "target"}, {"endpoint", endpoint_.to_string()}}}},
                      {"server_version", version_}};
  if (cluster()) d["seeds"] = target_text(target_);
  if (security_) d["security"] = describe_security(security_.get());
  return d;
}

}  // namespace redproof
