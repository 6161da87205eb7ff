// The queue workload: background jobs through Redis (LPUSH + BRPOP; BLMOVE with processing
// lists and a reaper; Streams with a consumer group), producers and consumers as separate
// processes, consumers that may die holding a job, and a final drain (checkers/queue_checker.hpp).
#pragma once

#include "workloads/workload.hpp"

namespace redproof::queue {

WorkloadInfo queue_workload_info();

}  // namespace redproof::queue
