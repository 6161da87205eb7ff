// write-behind: the items written since their last flush, in the order they were first written,
// with the newest acknowledged version of each (later writes of one item coalesce, as a
// write-behind buffer does). The writers push on an acknowledged write; the flusher's generator
// pops. The value flushed is always taken from the Redis buffer, not from here: this is only the
// flusher's to-do list (a change notification), so a buffer lost with Redis stays lost.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace redproof::cache {

class FlushQueue {
 public:
  struct Item {
    std::string key;
    std::int64_t version = 0;
  };

  void push(const std::string& key, std::int64_t version) {
    std::lock_guard lock(mu_);
    auto [it, fresh] = pending_.try_emplace(key, version);
    if (!fresh) {
      it->second = std::max(it->second, version);
      return;
    }
    order_.push_back(key);
  }
  // A flush that could not reach Redis goes back, a few times at most (then it is dropped: the
  // final db-read tells whether the write was lost).
  void retry(const std::string& key, std::int64_t version) {
    std::lock_guard lock(mu_);
    if (++retries_[key] > kMaxRetries) return;
    if (pending_.count(key)) return;
    pending_.emplace(key, version);
    order_.push_back(key);
  }
  std::optional<Item> pop() {
    std::lock_guard lock(mu_);
    if (order_.empty()) return std::nullopt;
    Item item{order_.front(), pending_[order_.front()]};
    pending_.erase(order_.front());
    order_.pop_front();
    return item;
  }
  std::size_t size() const {
    std::lock_guard lock(mu_);
    return order_.size();
  }

 private:
  static constexpr int kMaxRetries = 50;
  mutable std::mutex mu_;
  std::deque<std::string> order_;
  std::map<std::string, std::int64_t> pending_;
  std::map<std::string, int> retries_;
};

}  // namespace redproof::cache
