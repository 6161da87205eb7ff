// Decimal text written straight into a buffer, two digits per step, with no allocation: the load
// engine formats several numbers for every request (the key it sends, and the index, time and
// process of each history line), and std::to_chars' generality showed in its profile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace redproof::decimal {

inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes the last `n` decimal digits of `v` backwards from `end` (zero-padded to n).
inline void write_backwards(char* end, std::uint64_t v, std::size_t n) {
  while (n >= 2) {
    const auto pair = static_cast<std::size_t>(v % 100) * 2;
    v /= 100;
    *--end = kDigitPairs[pair + 1];
    *--end = kDigitPairs[pair];
    n -= 2;
  }
  if (n) *--end = static_cast<char>('0' + v % 10);
}

// How many digits `v` has.
inline std::size_t length(std::uint64_t v) {
  std::size_t n = 1;
  for (; v >= 10000; v /= 10000) n += 4;
  return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

// Writes `v` at `p` (at most 20 bytes); returns the end.
inline char* write(char* p, std::uint64_t v) {
  const std::size_t n = length(v);
  write_backwards(p + n, v, n);
  return p + n;
}

// Writes `v` at `p` (at most 20 bytes), with a minus sign when negative; returns the end.
inline char* write(char* p, std::int64_t v) {
  if (v >= 0) return write(p, static_cast<std::uint64_t>(v));
  *p++ = '-';
  return write(p, static_cast<std::uint64_t>(-(v + 1)) + 1);
}

// The text of the last number it was given, for series that repeat or count up (a history's
// times within one batch, its indexes): the same number is copied, the next one is incremented
// in place, and only a jump is formatted again.
class Cached {
 public:
  static constexpr std::size_t kRoom = 24;  // bytes write() may touch at p

  // Writes `v` at `p`; returns the end.
  char* write(char* p, std::uint64_t v) {
    const bool same = valid_ && v == value_;
    const bool next = valid_ && v == value_ + 1 && v != 0;  // 0 after the largest: wrapped
    if (!same && !(next && increment())) {
      length_ = decimal::write(text_, v) - text_;
    }
    value_ = v;
    valid_ = true;
    std::memcpy(p, text_, kRoom);  // a fixed size: two vector moves, no call
    return p + length_;
  }

 private:
  // Adds one to the text unless that would add a digit.
  bool increment() {
    for (std::size_t i = length_; i-- > 0;) {
      if (text_[i] != '9') {
        ++text_[i];
        return true;
      }
      text_[i] = '0';
    }
    for (std::size_t i = 0; i < length_; ++i) text_[i] = '9';  // all nines: undo, format anew
    return false;
  }

  char text_[kRoom] = {};
  std::size_t length_ = 0;
  std::uint64_t value_ = 0;
  bool valid_ = false;  // text_ holds value_
};

}  // namespace redproof::decimal
