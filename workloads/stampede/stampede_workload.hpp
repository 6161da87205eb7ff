// `stampede`: a few very hot keys with short TTLs under many readers and a slow rebuild from a
// real database (SQLite): no protection, a rebuild mutex, or XFetch early recomputation,
// checked for herds (more than one concurrent rebuild per expiry).
#pragma once

#include "workloads/workload.hpp"

namespace redproof::stampede {

WorkloadInfo stampede_workload_info();

}  // namespace redproof::stampede
