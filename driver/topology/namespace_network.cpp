#include "driver/topology/namespace_network.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/command_runner.hpp"

namespace redproof {

namespace fs = std::filesystem;

namespace {

constexpr const char* kChain = "redproof";

std::string subnet_prefix(int k) {
  return "10.213." + std::to_string(k) + ".";
}

std::string join(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) out += (out.empty() ? "" : " ") + a;
  return out;
}

bool namespace_exists(const std::string& ns) {
  std::error_code ec;
  return fs::exists("/var/run/netns/" + ns, ec);
}

bool link_exists(const std::string& name) {
  std::error_code ec;
  return fs::exists("/sys/class/net/" + name, ec);
}

}  // namespace

NamespaceNetwork::NamespaceNetwork(std::string record_path, ProcessRunner* runner)
    : record_path_(std::move(record_path)), runner_(runner ? runner : &system_process_runner()) {}

NamespaceNetwork::~NamespaceNetwork() {
  destroy();
}

std::string NamespaceNetwork::unavailable_reason() {
  if (::geteuid() != 0) {
    return "--netns needs root: it creates network namespaces, a bridge and iptables rules";
  }
  for (const char* tool : {"ip", "iptables"}) {
    if (!system_process_runner().find_binary(tool)) {
      return std::string("--netns needs `") + tool +
             "`, which is not on PATH (install iproute2 and iptables: ci/install-deps.sh)";
    }
  }
  return {};
}

void NamespaceNetwork::ip(const std::vector<std::string>& args) {
  CommandOutcome r = run_command(*runner_, "ip", args);
  if (!r.ok()) throw std::runtime_error("ip " + join(args) + " failed: " + r.output);
}

void NamespaceNetwork::iptables(const std::string& ns, const std::vector<std::string>& args) {
  std::vector<std::string> full{"netns", "exec", ns, "iptables", "-w"};
  full.insert(full.end(), args.begin(), args.end());
  ip(full);
}

void NamespaceNetwork::write_record() const {
  nlohmann::json ns = nlohmann::json::array();
  for (const auto& [node, name] : namespaces_) ns.push_back(name);
  std::error_code ec;
  fs::create_directories(fs::path(record_path_).parent_path(), ec);
  std::ofstream out(record_path_, std::ios::trunc);
  out << nlohmann::json{{"bridge", bridge_}, {"namespaces", ns}}.dump(2) << "\n";
  if (!out) throw std::runtime_error("cannot write " + record_path_);
}

void NamespaceNetwork::create(const std::vector<std::string>& nodes) {
  if (nodes.size() > 200) throw std::runtime_error("--netns: too many nodes");
  // Claim a subnet: creating the bridge fails while another run holds that number.
  const int start = static_cast<int>(::getpid() % 250);
  for (int step = 0; step < 250 && subnet_ < 0; ++step) {
    const int k = (start + step) % 250;
    const std::string bridge = "rpb" + std::to_string(k);
    if (link_exists(bridge)) continue;
    CommandOutcome r = run_command(*runner_, "ip", {"link", "add", bridge, "type", "bridge"});
    if (r.ok()) {
      subnet_ = k;
      bridge_ = bridge;
    } else if (r.output.find("File exists") == std::string::npos) {
      throw std::runtime_error("ip link add " + bridge + " type bridge failed: " + r.output);
    }
  }
  if (subnet_ < 0) throw std::runtime_error("--netns: no free bridge name rpb0..rpb249");
  const std::string k = std::to_string(subnet_);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    namespaces_[nodes[i]] = "rp" + k + "-" + nodes[i];
    addresses_[nodes[i]] = subnet_prefix(subnet_) + std::to_string(10 + i);
  }
  nodes_ = nodes;
  try {
    write_record();  // before anything more exists, so that heal finds all of it
    ip({"addr", "add", host_address() + "/24", "dev", bridge_});
    ip({"link", "set", bridge_, "up"});
    for (const auto& node : nodes) {
      const std::string& ns = namespaces_.at(node);
      const std::string outside = "rp" + k + node;  // ≤ 15 characters, the kernel's limit
      const std::string inside = outside + "p";
      ip({"netns", "add", ns});
      ip({"-n", ns, "link", "set", "lo", "up"});
      ip({"link", "add", outside, "type", "veth", "peer", "name", inside});
      ip({"link", "set", inside, "netns", ns});
      ip({"link", "set", outside, "master", bridge_, "up"});
      ip({"-n", ns, "addr", "add", addresses_.at(node) + "/24", "dev", inside});
      ip({"-n", ns, "link", "set", inside, "up"});
      iptables(ns, {"-N", kChain});
      iptables(ns, {"-A", "INPUT", "-j", kChain});
    }
  } catch (...) {
    destroy();
    throw;
  }
}

void NamespaceNetwork::destroy() noexcept {
  for (const auto& [node, ns] : namespaces_) {
    try {
      if (namespace_exists(ns)) run_command(*runner_, "ip", {"netns", "del", ns});
    } catch (...) {
    }
  }
  try {
    // The veths' outer ends went with their namespaces; the bridge is the last thing left.
    if (!bridge_.empty() && link_exists(bridge_)) {
      run_command(*runner_, "ip", {"link", "del", bridge_});
    }
  } catch (...) {
  }
  namespaces_.clear();
  bridge_.clear();
}

const std::string& NamespaceNetwork::namespace_of(const std::string& node) const {
  auto it = namespaces_.find(node);
  if (it == namespaces_.end()) throw std::runtime_error("no namespace for node " + node);
  return it->second;
}

const std::string& NamespaceNetwork::address_of(const std::string& node) const {
  auto it = addresses_.find(node);
  if (it == addresses_.end()) throw std::runtime_error("no address for node " + node);
  return it->second;
}

std::string NamespaceNetwork::host_address() const {
  return subnet_prefix(subnet_) + "1";
}

void NamespaceNetwork::partition(const Grudge& grudge) {
  std::lock_guard lock(mu_);
  for (const auto& node : nodes_) iptables(namespace_of(node), {"-F", kChain});
  for (const auto& [node, drops] : grudge) {
    for (const auto& from : drops) {
      iptables(namespace_of(node), {"-A", kChain, "-s", address_of(from), "-j", "DROP"});
    }
  }
}

void NamespaceNetwork::heal_partition() noexcept {
  std::lock_guard lock(mu_);
  for (const auto& [node, ns] : namespaces_) {
    try {
      iptables(ns, {"-F", kChain});
    } catch (...) {
    }
  }
}

std::vector<std::string> remove_recorded_network(const std::string& record_path) {
  std::vector<std::string> removed;
  std::error_code ec;
  if (!fs::exists(record_path, ec)) return removed;
  nlohmann::json record = nlohmann::json::parse(std::ifstream(record_path), nullptr, false);
  if (!record.is_object()) return removed;
  ProcessRunner& runner = system_process_runner();
  if (record.contains("namespaces") && record["namespaces"].is_array()) {
    for (const auto& ns : record["namespaces"]) {
      if (!ns.is_string() || !namespace_exists(ns.get<std::string>())) continue;
      if (run_command(runner, "ip", {"netns", "del", ns.get<std::string>()}).ok()) {
        removed.push_back("deleted network namespace " + ns.get<std::string>());
      }
    }
  }
  const std::string bridge = record.value("bridge", "");
  if (!bridge.empty() && link_exists(bridge) &&
      run_command(runner, "ip", {"link", "del", bridge}).ok()) {
    removed.push_back("deleted bridge " + bridge);
  }
  return removed;
}

}  // namespace redproof
