#include "workloads/lock/fenced_resource.hpp"

namespace redproof::lock {

bool FencedResource::write(const std::string& key, std::optional<std::int64_t> fence) {
  std::lock_guard lock(mu_);
  if (fencing_) {
    auto it = highest_fence_.find(key);
    // A write without a token, or with one not above every token seen, is stale.
    if (!fence || (it != highest_fence_.end() && *fence <= it->second)) {
      ++rejected_;
      return false;
    }
    highest_fence_[key] = *fence;
  }
  ++accepted_;
  return true;
}

std::int64_t FencedResource::accepted() const {
  std::lock_guard lock(mu_);
  return accepted_;
}

std::int64_t FencedResource::rejected() const {
  std::lock_guard lock(mu_);
  return rejected_;
}

}  // namespace redproof::lock
