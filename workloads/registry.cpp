// Every workload the harness knows. A new workload is one folder and one line here.
#include "workloads/cache/cache_workload.hpp"
#include "workloads/inventory/inventory_workload.hpp"
#include "workloads/leaderboard/leaderboard_workload.hpp"
#include "workloads/lock/lock_workload.hpp"
#include "workloads/pubsub/pubsub_workload.hpp"
#include "workloads/queue/queue_workload.hpp"
#include "workloads/rate_limit/rate_limit_workload.hpp"
#include "workloads/register/register_workload.hpp"
#include "workloads/session/session_workload.hpp"
#include "workloads/stampede/stampede_workload.hpp"
#include "workloads/transfer/transfer_workload.hpp"
#include "workloads/workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace redproof {

namespace {

std::vector<WorkloadInfo>& registered() {
  static std::vector<WorkloadInfo> workloads = {
      lock::lock_workload_info(),
      reg::register_workload_info(),
      rate_limit::rate_limit_workload_info(),
      inventory::inventory_workload_info(),
      transfer::transfer_workload_info(),
      pubsub::pubsub_workload_info(),
      session::session_workload_info(),
      leaderboard::leaderboard_workload_info(),
      queue::queue_workload_info(),
      cache::cache_workload_info(),
      stampede::stampede_workload_info(),
  };
  return workloads;
}

}  // namespace

const std::vector<WorkloadInfo>& all_workloads() {
  return registered();
}

void register_workload(WorkloadInfo info) {
  if (find_workload(info.name))
    throw std::logic_error("workload " + info.name + " registered twice");
  registered().push_back(std::move(info));
}

const WorkloadInfo* find_workload(std::string_view name) {
  for (const auto& w : all_workloads()) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

namespace {

template <typename T, typename Name>
std::string names_of(const std::vector<T>& items, Name name) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + name(item);
  return out;
}

}  // namespace

ResolvedWorkload resolve_workload(std::string_view name, std::string_view variant,
                                  const std::map<std::string, std::string>& params) {
  ResolvedWorkload r;
  r.info = find_workload(name);
  if (!r.info) {
    throw std::invalid_argument(
        fmt::format("unknown workload \"{}\" (available: {})", name,
                    names_of(all_workloads(), [](const WorkloadInfo& w) { return w.name; })));
  }
  const auto variant_name = [](const VariantInfo& v) { return v.name; };
  r.variant = &r.info->variants.front();
  if (!variant.empty()) {
    r.variant = nullptr;
    for (const auto& v : r.info->variants) {
      if (v.name == variant) r.variant = &v;
    }
    if (!r.variant) {
      throw std::invalid_argument(fmt::format("workload {} has no variant \"{}\" (available: {})",
                                              name, variant,
                                              names_of(r.info->variants, variant_name)));
    }
  }
  r.knobs = KnobValues(r.info->name, r.info->knobs, params);
  return r;
}

}  // namespace redproof
