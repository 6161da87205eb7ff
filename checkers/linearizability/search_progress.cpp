#include "checkers/linearizability/search_progress.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include <fmt/format.h>

namespace redproof::linearizability {

std::string progress_line(const SearchProgress& p) {
  return fmt::format("linearizability: {}/{} keys decided, {} states explored, {:.1f} s",
                     p.keys_done, p.keys_total, p.states_explored, p.elapsed_seconds);
}

ProgressSink stderr_progress_if_wanted(bool is_terminal, const char* env) {
  const bool asked = env != nullptr && env[0] != '\0';
  const bool silenced = asked && std::strcmp(env, "0") == 0;
  if (silenced || (!asked && !is_terminal)) return nullptr;
  return [](const SearchProgress& p) {
    const std::string line = progress_line(p) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  };
}

ProgressSink stderr_progress_if_wanted() {
  return stderr_progress_if_wanted(::isatty(STDERR_FILENO) == 1, std::getenv("REDPROOF_PROGRESS"));
}

ProgressReporter::ProgressReporter(ProgressSink sink, std::chrono::milliseconds every,
                                   std::function<SearchProgress()> sample)
    : sink_(std::move(sink)), every_(every), sample_(std::move(sample)) {
  if (sink_) thread_ = std::thread([this] { loop(); });
}

ProgressReporter::~ProgressReporter() {
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ProgressReporter::loop() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, every_, [this] { return done_; })) {
    lock.unlock();
    sink_(sample_());
    lock.lock();
  }
}

}  // namespace redproof::linearizability
