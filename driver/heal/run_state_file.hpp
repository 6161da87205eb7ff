// A run's live state on disk (<run dir>/state.json), so that `redproof heal` can clean up after a
// run that was killed outright (SIGKILL, a crash, a lost machine session): which redproof process
// owned it, whether it ended, and where its servers live. Servers are found again by their
// working directory (redis-server chdirs to its `dir`, which is the node's directory), so a
// server restarted by a fault under a new pid is still found.
#pragma once

#include <string>
#include <vector>

namespace redproof {

// phase: "running" (servers may be up), "finished" (ended and cleaned up), "healed".
void write_run_state(const std::string& run_dir, const std::string& phase);

struct HealReport {
  std::vector<std::string> runs_healed;  // run directories whose leftovers were removed
  std::vector<std::string> actions;      // "killed redis-server 1234 (.../nodes/n1)"
  std::vector<std::string> errors;
};

// Finds every run under `results_root` left "running" by a redproof process that no longer
// exists, resumes and kills the redis-servers still working in its nodes/ directory, and marks
// it healed; with --netns it also deletes the run's namespaces and bridge (nodes/network.json).
// Runs whose owner is alive are left alone. Idempotent.
HealReport heal_abandoned_runs(const std::string& results_root);

}  // namespace redproof
