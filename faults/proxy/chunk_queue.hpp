// The bytes one direction of a proxied connection holds back, each chunk with the time it may be
// written. A ring of slots whose buffers are never freed while the connection lives: a chunk's
// bytes are copied into the buffer a slot already has, and the writer takes them by swapping
// buffers with its own, so forwarding a chunk allocates nothing once the ring and its buffers
// have grown to the connection's usual traffic. No I/O, so it is unit-tested alone.
#pragma once

#include <chrono>
#include <cstddef>
#include <utility>
#include <vector>

namespace redproof::proxy {

class ChunkQueue {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  struct Chunk {
    std::vector<char> data;
    TimePoint release{};
    bool close_after = false;  // limit_data: close the connection once written
  };

  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }
  std::size_t bytes() const { return bytes_; }

  // Appends a copy of [data, data + size) to be written at `release`.
  void push(const char* data, std::size_t size, TimePoint release) {
    if (count_ == slots_.size()) grow();
    Chunk& c = slots_[(head_ + count_) % slots_.size()];
    c.data.assign(data, data + size);
    c.release = release;
    c.close_after = false;
    ++count_;
    bytes_ += size;
  }

  // Requires !empty().
  Chunk& front() { return slots_[head_]; }
  Chunk& back() { return slots_[(head_ + count_ - 1) % slots_.size()]; }

  // Removes the front chunk, its bytes swapped into `out`; `out`'s old buffer stays in the slot
  // for a later push. Returns whether the connection should be closed once `out` is written.
  bool pop_into(std::vector<char>& out) {
    Chunk& c = slots_[head_];
    std::swap(out, c.data);
    bool close_after = c.close_after;
    bytes_ -= out.size();
    head_ = (head_ + 1) % slots_.size();
    --count_;
    return close_after;
  }

  // Brings every release forward to `t` at the latest (the last delaying toxic was removed).
  void release_by(TimePoint t) {
    for (std::size_t i = 0; i < count_; ++i) {
      Chunk& c = slots_[(head_ + i) % slots_.size()];
      if (c.release > t) c.release = t;
    }
  }

 private:
  // Doubles the ring, keeping the chunks in order from slot 0. Rare: only when more chunks are
  // held back than ever before on this connection.
  void grow() {
    std::vector<Chunk> bigger(slots_.empty() ? 8 : slots_.size() * 2);
    for (std::size_t i = 0; i < count_; ++i) {
      bigger[i] = std::move(slots_[(head_ + i) % slots_.size()]);
    }
    // Free slots keep their buffers for reuse too.
    for (std::size_t i = count_; i < slots_.size(); ++i) {
      bigger[i] = std::move(slots_[(head_ + i) % slots_.size()]);
    }
    slots_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<Chunk> slots_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace redproof::proxy
