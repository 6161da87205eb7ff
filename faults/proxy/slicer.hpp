// The slicer's cutting rule: split a chunk into slices of about `average` ± `variation` bytes by
// halving it at a point jittered by up to ± variation until every slice is small enough (as
// Toxiproxy's slicer does), so the slices vary evenly with no bias to a small first or last one.
// Pure, seeded: one Random gives one cutting.
#pragma once

#include <cstddef>
#include <vector>

#include "core/random.hpp"

namespace redproof::proxy {

// The sizes of the slices of a `size`-byte chunk, in order. Every slice is at least 1 byte and at
// most average + variation bytes, and they add up to `size`. Requires average > variation.
std::vector<std::size_t> slice_sizes(std::size_t size, std::size_t average, std::size_t variation,
                                     Random& rng);
// The same, appended to `out` (the proxy reuses one vector for every chunk).
void append_slice_sizes(std::size_t size, std::size_t average, std::size_t variation, Random& rng,
                        std::vector<std::size_t>& out);

}  // namespace redproof::proxy
