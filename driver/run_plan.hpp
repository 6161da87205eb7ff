// Everything one run needs, resolved from the command line (or, later, a suite plan): what
// run.json records as the run's configuration.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "redis/connection_security.hpp"

namespace redproof {

struct RunPlan {
  std::string workload;
  std::string variant;              // empty: the workload's default
  std::vector<std::string> faults;  // {"none"} for no fault
  std::chrono::nanoseconds time = std::chrono::seconds(10);
  int clients = 5;
  int threads = 1;  // event loops the clients are spread over
  double rate = 0;  // target ops/s over all clients; 0 = closed loop
  std::uint64_t seed = 0;
  std::string topology;  // empty: what the faults need (topology_for_fault)
  std::string target;    // --target: use existing servers (driver/target_options)
  // AUTH and TLS for every connection to --target; null: none. run.json says only whether a
  // password is set.
  std::shared_ptr<const redis::ConnectionSecurity> target_security;
  bool target_allow_remote =
      false;               // --allow-remote: what a Sentinel or cluster names may be remote
  std::uint16_t port = 0;  // first local server's port; 0 = free ports
  bool netns = false;      // each node in a network namespace of its own (root)
  std::string persistence = "none";  // none, aof, rdb: what a killed server comes back with
  std::string server_binary = "redis-server";
  std::vector<std::string> slos;  // "p99<2ms", ...
  std::string results_dir = "results";
  bool json = false;
  std::chrono::nanoseconds request_timeout = std::chrono::milliseconds(1000);
  std::chrono::nanoseconds fault_interval = std::chrono::seconds(2);
  // A hook of the workload's: each fault starts when a client reaches it (faults aimed at the
  // moment that matters); empty: on the clock alone.
  std::string fault_at;
  // How long the checkers may search; zero: the run's length, at least 10 s.
  std::chrono::nanoseconds check_timeout{0};
  // After the final heal, before the final reads: time for the servers to settle (a demoted
  // primary to resync, Sentinel to converge).
  std::chrono::nanoseconds recovery = std::chrono::seconds(1);
  std::map<std::string, std::string> params;  // workload knobs
  std::string script;       // --script FILE.lua: the user's Lua in place of the variant's
  std::string script_argv;  // --script-argv TEMPLATE: our arguments onto theirs
};

// Runs the plan end to end and returns the exit code of ../shared/spec/cli.md. Problems a user
// can cause are printed as one line on stderr (exit 2 before anything runs, 3 when the run could
// not be carried out); nothing throws out of here.
int execute_run(const RunPlan& plan);

}  // namespace redproof
