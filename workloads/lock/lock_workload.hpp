// The lock workload: clients contend for a lock, hold it, write to a resource it protects, and
// release it. Its checker looks for two holders at once (and, with fencing, stale writes).
#pragma once

#include "workloads/workload.hpp"

namespace redproof::lock {

WorkloadInfo lock_workload_info();

}  // namespace redproof::lock
