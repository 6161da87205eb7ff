// The transfer workload: money moved between accounts seeded by one `init`, with atomic reads of
// every balance during the run and once the faults are healed. Its checker (`bank`) demands
// conservation in every read, no negative balance, and final balances within what acknowledged
// and unknown transfers allow.
#pragma once

#include "workloads/workload.hpp"

namespace redproof::transfer {

WorkloadInfo transfer_workload_info();

}  // namespace redproof::transfer
