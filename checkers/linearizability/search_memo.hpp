// The search's memo of configurations seen (Lowe's cache: the set of operations linearized and
// the model's state), built for the hot loop of the search:
//
// - LinearizedSet is the set as a bitset that keeps, as it changes, its hash (Zobrist: the xor of
//   a fixed random word per member, so one step updates it in O(1)) and its window: from its
//   first word that is not all ones (every earlier operation is linearized) to its last non-zero
//   word. Operations are linearized roughly in history order, so the window stays a few words
//   wide however long the history, where the whole bitset would cost n/8 bytes per entry.
// - ConfigurationCache is an open-addressing table of (hash, record) whose records (window
//   position, window, state) live in large blocks: inserting allocates nothing but a new block
//   now and then, and a lookup hashes nothing (the set's hash is kept, the state is a word or a
//   few). Membership is exact: a hash match is confirmed by comparing the records.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

namespace redproof::linearizability {

// A 64-bit mixer (splitmix64's finaliser): distinct inputs give well-spread, distinct words.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class LinearizedSet {
 public:
  explicit LinearizedSet(std::size_t n) : words_((n + 63) / 64, 0), zobrist_(n) {
    for (std::size_t i = 0; i < n; ++i) zobrist_[i] = mix64(i);
  }

  bool test(std::size_t i) const { return (words_[i / 64] >> (i % 64)) & 1; }

  void set(std::size_t i) {
    const std::size_t w = i / 64;
    words_[w] |= std::uint64_t{1} << (i % 64);
    hash_ ^= zobrist_[i];
    if (w >= hi_) hi_ = w + 1;
    while (lo_ < words_.size() && words_[lo_] == ~std::uint64_t{0}) ++lo_;
    if (hi_ < lo_) hi_ = lo_;
  }

  void clear(std::size_t i) {
    const std::size_t w = i / 64;
    words_[w] &= ~(std::uint64_t{1} << (i % 64));
    hash_ ^= zobrist_[i];
    if (w < lo_) lo_ = w;
    while (hi_ > lo_ && words_[hi_ - 1] == 0) --hi_;
  }

  // Equal sets have equal hashes.
  std::uint64_t hash() const { return hash_; }
  std::size_t first_word() const { return lo_; }
  std::span<const std::uint64_t> window() const {
    return std::span<const std::uint64_t>(words_.data() + lo_, hi_ - lo_);
  }

 private:
  std::vector<std::uint64_t> words_;
  std::vector<std::uint64_t> zobrist_;  // the random word of each member
  std::size_t lo_ = 0;  // first word not all ones (words_.size() when every word is)
  std::size_t hi_ = 0;  // one past the last non-zero word, and never below lo_
  std::uint64_t hash_ = 0;
};

class ConfigurationCache {
 public:
  // `operations`: how many the search has, to start small on small keys (a kv history may have
  // thousands of keys of a few operations each); the table grows as needed.
  explicit ConfigurationCache(std::size_t operations = 0)
      : slots_(std::bit_ceil(std::clamp<std::size_t>(4 * operations, 64, 1024))),
        next_block_words_(
            std::bit_ceil(std::clamp<std::size_t>(16 * operations, 1024, kBlockWords))) {}

  // Adds the configuration (set, state) unless present; true when it was added.
  bool insert(const LinearizedSet& set, std::span<const std::int64_t> state) {
    std::uint64_t h = set.hash() ^ (set.first_word() * 0x9e3779b97f4a7c15ULL);
    for (auto s : state) h = mix64(h ^ static_cast<std::uint64_t>(s));
    if (state.empty()) h = mix64(h);
    const auto window = set.window();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = h & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (!slot.record) {
        slot.hash = h;
        slot.record = store(set.first_word(), window, state);
        if (++size_ * 2 > slots_.size()) grow();
        return true;
      }
      if (slot.hash == h && same(slot.record, set.first_word(), window, state)) return false;
    }
  }

  std::size_t size() const { return size_; }
  // What the table and its records hold, in bytes.
  std::size_t bytes() const { return slots_.size() * sizeof(Slot) + block_total_ * 8; }
  // What one more record of this shape costs, in bytes (slot share included).
  static std::size_t record_bytes(std::size_t window_words, std::size_t state_words) {
    return (3 + window_words + state_words) * 8 + 2 * sizeof(Slot);
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    const std::uint64_t* record = nullptr;  // first word, window length, state length, words
  };
  static constexpr std::size_t kBlockWords = std::size_t{1} << 16;

  const std::uint64_t* store(std::size_t first_word, std::span<const std::uint64_t> window,
                             std::span<const std::int64_t> state) {
    const std::size_t need = 3 + window.size() + state.size();
    if (blocks_.empty() || used_ + need > block_words_) {
      block_words_ = std::max(next_block_words_, need);
      next_block_words_ = kBlockWords;
      blocks_.push_back(std::make_unique_for_overwrite<std::uint64_t[]>(block_words_));
      used_ = 0;
      block_total_ += block_words_;
    }
    std::uint64_t* r = blocks_.back().get() + used_;
    used_ += need;
    r[0] = first_word;
    r[1] = window.size();
    r[2] = state.size();
    if (!window.empty()) std::memcpy(r + 3, window.data(), window.size() * 8);
    if (!state.empty()) std::memcpy(r + 3 + window.size(), state.data(), state.size() * 8);
    return r;
  }

  static bool same(const std::uint64_t* r, std::size_t first_word,
                   std::span<const std::uint64_t> window, std::span<const std::int64_t> state) {
    // Loops, not memcmp: windows and states are a word or a few, and most lookups hit.
    if (r[0] != first_word || r[1] != window.size() || r[2] != state.size()) return false;
    r += 3;
    for (std::size_t i = 0; i < window.size(); ++i) {
      if (r[i] != window[i]) return false;
    }
    r += window.size();
    for (std::size_t i = 0; i < state.size(); ++i) {
      if (r[i] != static_cast<std::uint64_t>(state[i])) return false;
    }
    return true;
  }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (!s.record) continue;
      std::size_t at = s.hash & mask;
      while (slots_[at].record) at = (at + 1) & mask;
      slots_[at] = s;
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<std::uint64_t[]>> blocks_;
  std::size_t next_block_words_;  // the size of the next block, unless a record is larger
  std::size_t block_words_ = 0;   // of the last block
  std::size_t used_ = 0;          // words used in the last block
  std::size_t block_total_ = 0;   // words in all blocks
  std::size_t size_ = 0;
};

}  // namespace redproof::linearizability
