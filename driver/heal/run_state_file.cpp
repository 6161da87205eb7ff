#include "driver/heal/run_state_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/file_limits.hpp"
#include "core/private_files.hpp"
#include "driver/topology/namespace_network.hpp"

namespace redproof {

namespace fs = std::filesystem;

void write_run_state(const std::string& run_dir, const std::string& phase) {
  nlohmann::json state = {{"owner_pid", static_cast<long>(::getpid())},
                          {"phase", phase},
                          {"nodes_directory", fs::absolute(run_dir + "/nodes").string()}};
  try {
    write_private_file_atomically(run_dir + "/state.json", state.dump(2) + "\n");
  } catch (const std::exception&) {
    // As before: a state file that cannot be written only means `redproof heal` cannot find the
    // run; the run itself goes on and reports its own errors.
  }
}

namespace {

// A state.json is tiny; anything else of that name (too large, not JSON) is not one of ours.
nlohmann::json read_state(const fs::path& path) {
  try {
    require_within_limit(path.string(), kMaxRunJsonBytes, "a run state file");
  } catch (const std::exception&) {
    return nullptr;
  }
  return nlohmann::json::parse(std::ifstream(path), nullptr, false);
}

}  // namespace

namespace {

bool process_alive(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0);
}

// redis-server processes whose working directory lies under `nodes_dir`.
std::vector<std::pair<long, std::string>> servers_under(const std::string& nodes_dir) {
  std::vector<std::pair<long, std::string>> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code e1, e2;
    fs::path exe = fs::read_symlink(entry.path() / "exe", e1);
    fs::path cwd = fs::read_symlink(entry.path() / "cwd", e2);
    if (e1 || e2) continue;
    // Debian's redis-server is a link to redis-check-rdb, so /proc/PID/exe names that: any
    // redis-* binary working in the run's nodes/ directory is one of its servers.
    if (exe.filename().string().rfind("redis-", 0) != 0) continue;
    const std::string c = cwd.string();
    if (c == nodes_dir || c.rfind(nodes_dir + "/", 0) == 0) out.push_back({std::stol(name), c});
  }
  return out;
}

}  // namespace

HealReport heal_abandoned_runs(const std::string& results_root) {
  HealReport report;
  std::error_code ec;
  if (!fs::is_directory(results_root, ec)) return report;
  for (auto it = fs::recursive_directory_iterator(
           results_root, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_symlink()) {  // results/latest points into the tree already walked
      it.disable_recursion_pending();
      continue;
    }
    if (it.depth() > 5) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->path().filename() != "state.json") continue;
    nlohmann::json state = read_state(it->path());
    if (!state.is_object() || state.value("phase", "") != "running") continue;
    const long owner = state.value("owner_pid", 0L);
    if (process_alive(owner) && owner != ::getpid()) continue;  // still running: not ours to heal
    const std::string run_dir = it->path().parent_path().string();
    const std::string nodes = state.value("nodes_directory", run_dir + "/nodes");
    for (const auto& [pid, cwd] : servers_under(nodes)) {
      // A stopped server must be continued before it can die cleanly of anything but SIGKILL;
      // SIGKILL works on stopped processes, but SIGCONT first keeps the order obvious.
      ::kill(static_cast<pid_t>(pid), SIGCONT);
      if (::kill(static_cast<pid_t>(pid), SIGKILL) == 0) {
        report.actions.push_back("killed redis-server " + std::to_string(pid) + " (" + cwd + ")");
      } else {
        report.errors.push_back("cannot kill " + std::to_string(pid) + " (" + cwd + ")");
      }
    }
    for (int i = 0; i < 100 && !servers_under(nodes).empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // --netns: the namespaces (their iptables rules go with them) and the bridge.
    try {
      for (auto& a : remove_recorded_network(nodes + "/network.json")) {
        report.actions.push_back(std::move(a));
      }
    } catch (const std::exception& e) {
      report.errors.push_back(std::string("network of ") + run_dir + ": " + e.what());
    }
    write_run_state(run_dir, "healed");
    report.runs_healed.push_back(run_dir);
  }
  return report;
}

}  // namespace redproof
