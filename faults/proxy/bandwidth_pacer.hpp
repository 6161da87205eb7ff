// Bandwidth pacing: a link that carries `rate` KB/s (1 KB = 1000 bytes, as Toxiproxy) is busy
// for size / rate after it starts sending a piece, and pieces are sent one after another. A large
// chunk is cut into pieces of at most 100 ms worth of bytes, so a slow link trickles instead of
// holding a big chunk back whole (Toxiproxy does the same). Pure arithmetic, tested alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/duration.hpp"

namespace redproof::proxy {

class BandwidthPacer {
 public:
  struct Piece {
    std::size_t size;
    Nanos release_at;  // when the whole piece has gone through the link
  };

  explicit BandwidthPacer(std::int64_t rate_kbps);

  // How long `size` bytes occupy the link.
  Nanos transfer_time(std::size_t size) const;
  // The largest piece: 100 ms worth of bytes (at least 1).
  std::size_t max_piece() const;

  // `size` bytes become ready at `ready`; returns the pieces and when each may be released.
  // Release times are increasing and never before ready + transfer time of the bytes so far.
  std::vector<Piece> pace(Nanos ready, std::size_t size);
  // The same, appended to `out` (the proxy reuses one vector for every chunk).
  void pace(Nanos ready, std::size_t size, std::vector<Piece>& out);

  std::int64_t rate_kbps() const { return rate_kbps_; }
  Nanos busy_until() const { return busy_until_; }

 private:
  std::int64_t rate_kbps_;
  Nanos busy_until_{0};
};

}  // namespace redproof::proxy
