#include "faults/proxy/slicer.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace redproof::proxy {

namespace {

void cut(std::size_t size, std::size_t average, std::size_t variation, Random& rng,
         std::vector<std::size_t>& out) {
  // Iterative with an explicit stack (depth is only log2(size / average), but no recursion keeps
  // it obviously bounded). The stack holds sizes still to cut, rightmost first.
  std::vector<std::size_t> todo{size};
  while (!todo.empty()) {
    std::size_t n = todo.back();
    todo.pop_back();
    if (n <= average + variation) {
      out.push_back(n);
      continue;
    }
    auto jitter = variation == 0 ? 0
                                 : rng.uniform(-static_cast<std::int64_t>(variation),
                                               static_cast<std::int64_t>(variation));
    auto mid = static_cast<std::int64_t>(n / 2) + jitter;
    mid = std::clamp<std::int64_t>(mid, 1, static_cast<std::int64_t>(n) - 1);
    todo.push_back(n - static_cast<std::size_t>(mid));  // right half, cut after the left
    todo.push_back(static_cast<std::size_t>(mid));
  }
}

}  // namespace

std::vector<std::size_t> slice_sizes(std::size_t size, std::size_t average, std::size_t variation,
                                     Random& rng) {
  if (average == 0 || variation >= average) {
    throw std::invalid_argument("slicer needs average_size > size_variation >= 0");
  }
  std::vector<std::size_t> out;
  if (size == 0) return out;
  cut(size, average, variation, rng, out);
  return out;
}

}  // namespace redproof::proxy
