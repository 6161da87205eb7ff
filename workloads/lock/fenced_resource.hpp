// The resource a lock protects, kept inside the harness so that its view is exact. With fencing
// it accepts a write only when the write's token is greater than every token it has seen
// (Kleppmann's fencing rule) and rejects the rest; without fencing it accepts every write.
// Thread-safe: workers may run on several threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace redproof::lock {

class FencedResource {
 public:
  explicit FencedResource(bool fencing) : fencing_(fencing) {}

  // True when the write was accepted.
  bool write(const std::string& key, std::optional<std::int64_t> fence);

  std::int64_t accepted() const;
  std::int64_t rejected() const;

 private:
  bool fencing_;
  mutable std::mutex mu_;
  std::map<std::string, std::int64_t> highest_fence_;
  std::int64_t accepted_ = 0;
  std::int64_t rejected_ = 0;
};

}  // namespace redproof::lock
