// `register`: reads, writes and (lua-cas) compare-and-sets of integers on a few keys, checked
// for linearizability per key.
#pragma once

#include "workloads/workload.hpp"

namespace redproof::reg {

WorkloadInfo register_workload_info();

}  // namespace redproof::reg
