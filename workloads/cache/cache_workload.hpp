// `cache`: a cache in front of a real database (SQLite in the run's directory): cache-aside,
// its versioned (lease-like) fill, read-through, write-through and write-behind, checked for
// stale reads, lost writes, database lag and Polaris-style consistency (cache-staleness).
#pragma once

#include "workloads/workload.hpp"

namespace redproof::cache {

WorkloadInfo cache_workload_info();

}  // namespace redproof::cache
