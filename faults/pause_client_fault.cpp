#include "faults/pause_client_fault.hpp"

#include <stdexcept>

namespace redproof {

PauseClientFault::PauseClientFault(std::vector<Hook> hooks, std::chrono::milliseconds length)
    : hooks_(std::move(hooks)), length_(length) {
  if (hooks_.empty()) {
    throw std::invalid_argument("pause-client: this workload has no point where a pause matters");
  }
}

// The nemesis keeps the pause armed long enough for a worker to reach a hook and sit it out.
std::chrono::milliseconds PauseClientFault::duration(Random&) {
  return length_ * 2;
}

FaultAction PauseClientFault::start(Random& rng) {
  std::lock_guard lock(mu_);
  armed_hook_ = hooks_[rng.uniform(0, static_cast<std::int64_t>(hooks_.size()) - 1)];
  const char* effect = armed_hook_->effect == HookEffect::kCrash ? "crash" : "pause";
  return {"arm-pause", {{"hook", std::string(armed_hook_->name)}, {"effect", effect}}, false};
}

FaultAction PauseClientFault::stop() {
  std::lock_guard lock(mu_);
  armed_hook_.reset();  // a pause no worker took in time is dropped
  return {"disarm-pause", nullptr, false};
}

void PauseClientFault::heal() noexcept {
  std::lock_guard lock(mu_);
  armed_hook_.reset();
}

bool PauseClientFault::declares(const Hook& hook) const {
  for (const Hook& h : hooks_) {
    if (h == hook) return true;
  }
  return false;
}

std::optional<std::chrono::milliseconds> PauseClientFault::take(const Hook& hook) {
  std::lock_guard lock(mu_);
  if (!armed_hook_ || *armed_hook_ != hook) return std::nullopt;
  armed_hook_.reset();
  return length_;
}

}  // namespace redproof
