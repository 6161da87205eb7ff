// `leaderboard`: a sorted set of scores raised with ZINCRBY from many processes, read back as a
// top N and whole during the run, and once more after the final heal. Checked by `leaderboard`
// (lost-increment, double-count, impossible-score).
#pragma once

#include "workloads/workload.hpp"

namespace redproof::leaderboard {

WorkloadInfo leaderboard_workload_info();

}  // namespace redproof::leaderboard
