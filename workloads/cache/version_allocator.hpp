// Versions of one item are unique integers that increase with each write the workload starts
// (patterns.md): one counter per item, shared by every worker's generator (and thread-safe, as
// `bench --threads` runs generators on several loops).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace redproof::cache {

class VersionAllocator {
 public:
  explicit VersionAllocator(std::int64_t items)
      : next_(std::make_unique<std::atomic<std::int64_t>[]>(static_cast<std::size_t>(items))),
        items_(items) {
    for (std::int64_t i = 0; i < items; ++i) next_[static_cast<std::size_t>(i)] = 0;
  }
  // The next version of `item` (the first write is 1; 0 is the seeded row).
  std::int64_t allocate(std::int64_t item) { return ++next_[static_cast<std::size_t>(item)]; }
  // Whether any write of `item` was started.
  bool written(std::int64_t item) const { return next_[static_cast<std::size_t>(item)] > 0; }
  std::int64_t items() const { return items_; }

 private:
  std::unique_ptr<std::atomic<std::int64_t>[]> next_;
  std::int64_t items_;
};

}  // namespace redproof::cache
