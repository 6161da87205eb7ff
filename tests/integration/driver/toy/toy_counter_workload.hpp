// A toy pattern that lives in the test tree, not the product: a counter incremented with GET then
// SET (not atomic), so concurrent clients lose increments. It is the example of
// docs/adding-a-workload.md and shows that a workload is one folder plus one registration: one
// knob, one client, one generator built from the combinators, one checker, and every reporter
// explains its anomaly without knowing it.
#pragma once

#include "workloads/workload.hpp"

namespace redproof::toy {

// The WorkloadInfo to register (register_workload) before running it.
WorkloadInfo toy_counter_workload_info();

}  // namespace redproof::toy
