// The inventory workload: first-come-first-served stock (the coupon for the first 1,000
// customers, concert tickets). Several items are seeded by one `init`, buyers race to buy them,
// and every item is read once the faults are healed. Its checker (`inventory`) looks for
// oversells, lost purchases and double decrements.
#pragma once

#include "workloads/workload.hpp"

namespace redproof::inventory {

WorkloadInfo inventory_workload_info();

}  // namespace redproof::inventory
