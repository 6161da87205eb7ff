#include "faults/proxy/bandwidth_pacer.hpp"

#include <algorithm>
#include <stdexcept>

namespace redproof::proxy {

BandwidthPacer::BandwidthPacer(std::int64_t rate_kbps) : rate_kbps_(rate_kbps) {
  if (rate_kbps <= 0) throw std::invalid_argument("bandwidth rate must be > 0 KB/s");
}

Nanos BandwidthPacer::transfer_time(std::size_t size) const {
  // size bytes at rate * 1000 bytes/s = size * 1e6 / rate ns; rounded up so that pacing never
  // runs faster than the rate. 128-bit to keep large sizes exact.
  unsigned __int128 ns = static_cast<unsigned __int128>(size) * 1'000'000u;
  auto rate = static_cast<unsigned __int128>(rate_kbps_);
  return Nanos(static_cast<std::int64_t>((ns + rate - 1) / rate));
}

std::size_t BandwidthPacer::max_piece() const {
  return static_cast<std::size_t>(std::max<std::int64_t>(1, rate_kbps_ * 100));
}

std::vector<BandwidthPacer::Piece> BandwidthPacer::pace(Nanos ready, std::size_t size) {
  std::vector<Piece> out;
  pace(ready, size, out);
  return out;
}

void BandwidthPacer::pace(Nanos ready, std::size_t size, std::vector<Piece>& out) {
  std::size_t limit = max_piece();
  while (size > 0) {
    std::size_t n = std::min(size, limit);
    Nanos start = std::max(ready, busy_until_);
    busy_until_ = start + transfer_time(n);
    out.push_back({n, busy_until_});
    size -= n;
  }
}

}  // namespace redproof::proxy
