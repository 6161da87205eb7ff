// An open-addressing table from 64-bit keys to ids (non-negative integers), for the value table's
// lookups on the search's path (a kv append makes a new string id per new state): no node per
// entry, one probe sequence in one array. A key may be shared by several ids when it is only a
// fingerprint: `find` takes a predicate that confirms the id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "checkers/linearizability/search_memo.hpp"

namespace redproof::linearizability {

class IdTable {
 public:
  IdTable() : slots_(kInitialSlots) {}

  // The first id added under `key` for which same(id) holds, or -1.
  template <class Same>
  std::int64_t find(std::uint64_t key, Same&& same) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = mix64(key) & mask;; at = (at + 1) & mask) {
      const Slot& s = slots_[at];
      if (s.id < 0) return -1;
      if (s.key == key && same(s.id)) return s.id;
    }
  }
  std::int64_t find(std::uint64_t key) const {
    return find(key, [](std::int64_t) { return true; });
  }

  // Adds `id` (>= 0) under `key`, after any ids already there.
  void add(std::uint64_t key, std::int64_t id) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(Slot{key, id});
    ++size_;
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::int64_t id = -1;  // -1: empty
  };
  static constexpr std::size_t kInitialSlots = 64;

  void place(const Slot& slot) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = mix64(slot.key) & mask;
    while (slots_[at].id >= 0) at = (at + 1) & mask;
    slots_[at] = slot;
  }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.id >= 0) place(s);
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace redproof::linearizability
