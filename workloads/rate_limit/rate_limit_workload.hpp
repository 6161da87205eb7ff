// The rate-limit workload: identities asking a limiter (fixed window, sliding log, token bucket,
// GCRA) whether a request is admitted, judged by the rate-limit checker.
#pragma once

#include "workloads/workload.hpp"

namespace redproof::rate_limit {

WorkloadInfo rate_limit_workload_info();

}  // namespace redproof::rate_limit
