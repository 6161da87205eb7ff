// A growable byte buffer for text written through a pointer: room(n) hands out n writable bytes
// at the end, commit(end) keeps what was written. Unlike std::string::resize it never zero-fills
// the room it hands out; on the history's hot path (two lines per request, each given room for
// its longest form and then trimmed) that zero-filling cost as much as formatting the numbers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace redproof {

class LineBuffer {
 public:
  explicit LineBuffer(std::size_t capacity = 0) { reserve(capacity); }

  // At least n writable bytes at end(); valid until the next call that grows the buffer.
  char* room(std::size_t n) {
    if (capacity_ - size_ < n) reserve(std::max(capacity_ * 2, size_ + n));
    return data_.get() + size_;
  }
  // Keeps the bytes written up to `end`, a pointer into the last room() (at most its n bytes).
  void commit(const char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }

  void append(std::string_view text) {
    char* p = room(text.size());
    if (!text.empty()) std::memcpy(p, text.data(), text.size());
    size_ += text.size();
  }
  void append(char c) {
    *room(1) = c;
    ++size_;
  }

  const char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }
  void clear() { size_ = 0; }

 private:
  void reserve(std::size_t capacity) {
    if (capacity <= capacity_) return;
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace redproof
