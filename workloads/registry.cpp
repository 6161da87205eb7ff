// Every workload the harness knows. A new workload is one folder and one line here.
#include "workloads/lock/lock_workload.hpp"
#include "workloads/register/register_workload.hpp"
#include "workloads/workload.hpp"

namespace redproof {

const std::vector<WorkloadInfo>& all_workloads() {
  static const std::vector<WorkloadInfo> workloads = {
      lock::lock_workload_info(),
      reg::register_workload_info(),
  };
  return workloads;
}

const WorkloadInfo* find_workload(std::string_view name) {
  for (const auto& w : all_workloads()) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

}  // namespace redproof
