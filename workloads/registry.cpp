// Every workload the harness knows. A new workload is one folder and one line here.
#include "workloads/lock/lock_workload.hpp"
#include "workloads/register/register_workload.hpp"
#include "workloads/workload.hpp"

#include <fmt/format.h>

#include <stdexcept>

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
  for (const auto& p : params) {
    bool known = false;
    for (const auto& info : r.info->params) known = known || info.name == p.first;
    if (!known) {
      throw std::invalid_argument(fmt::format(
          "--param {}: workload {} has no such knob (see redproof list)", p.first, name));
    }
  }
  return r;
}

}  // namespace redproof
