#include "faults/proxy/slicer.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace redproof::proxy {

namespace {

// Halves `n` at a jittered point until each part is small enough, left part first so the slices
// come out in byte order. Recursive: the depth is only log2(size / average), and recursion needs
// no stack vector, so cutting allocates nothing beyond `out`.
void cut(std::size_t n, std::size_t average, std::size_t variation, Random& rng,
         std::vector<std::size_t>& out) {
  if (n <= average + variation) {
    out.push_back(n);
    return;
  }
  auto jitter = variation == 0 ? 0
                               : rng.uniform(-static_cast<std::int64_t>(variation),
                                             static_cast<std::int64_t>(variation));
  auto mid = static_cast<std::int64_t>(n / 2) + jitter;
  mid = std::clamp<std::int64_t>(mid, 1, static_cast<std::int64_t>(n) - 1);
  cut(static_cast<std::size_t>(mid), average, variation, rng, out);
  cut(n - static_cast<std::size_t>(mid), average, variation, rng, out);
}

}  // namespace

void append_slice_sizes(std::size_t size, std::size_t average, std::size_t variation, Random& rng,
                        std::vector<std::size_t>& out) {
  if (average == 0 || variation >= average) {
    throw std::invalid_argument("slicer needs average_size > size_variation >= 0");
  }
  if (size == 0) return;
  cut(size, average, variation, rng, out);
}

std::vector<std::size_t> slice_sizes(std::size_t size, std::size_t average, std::size_t variation,
                                     Random& rng) {
  std::vector<std::size_t> out;
  append_slice_sizes(size, average, variation, rng, out);
  return out;
}

}  // namespace redproof::proxy
