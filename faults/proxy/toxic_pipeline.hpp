// What the toxics of one direction of one connection do to each chunk of bytes read from its
// source: which byte ranges to forward and when, what to swallow, and when to close or reset the
// connection. No I/O and no clock: the socket code feeds chunks with their arrival time and
// carries out the plan, so all the decisions are unit-tested without sockets.
//
// Toxics act in a fixed order, whatever the order they were added in:
//   reset_peer  the first chunk that arrives is swallowed and the connection is reset (RST)
//               `timeout` later; later chunks are swallowed too.
//   timeout     every chunk is swallowed (a black hole). With timeout > 0 the connection is
//               closed `timeout` after the toxic took effect on it. Removing a timeout toxic
//               closes the connections it was in effect on, as Toxiproxy does (its Cleanup
//               closes the stub): swallowed bytes are dropped, never delivered late, and
//               forwarding later bytes would corrupt the stream. Clients see their connection
//               closed (FIN) and reconnect.
//   limit_data  bytes are forwarded until `bytes` have passed since the toxic took effect;
//               then the connection is closed once those bytes are written; the rest is dropped.
//   slicer      the chunk is cut into slices, slice i leaving i * delay after the first.
//   latency     each chunk (all of its slices) is delayed by latency ± jitter from its arrival.
//   bandwidth   slices are paced to `rate` KB/s.
// Release times never decrease from one piece to the next, so bytes are never reordered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/duration.hpp"
#include "core/random.hpp"
#include "faults/proxy/bandwidth_pacer.hpp"
#include "faults/proxy/latency_schedule.hpp"
#include "faults/proxy/toxic.hpp"

namespace redproof::proxy {

// Bytes [offset, offset + size) of the chunk, to be written at `release_at`.
struct Piece {
  std::size_t offset = 0;
  std::size_t size = 0;
  Nanos release_at{0};
  bool operator==(const Piece&) const = default;
};

struct ChunkPlan {
  std::vector<Piece> pieces;  // in byte order, release_at non-decreasing
  std::size_t dropped = 0;    // bytes swallowed
  // limit_data reached: close the connection once `pieces` are written (at once if none).
  bool close_after = false;
  // reset_peer: reset the connection at this time.
  std::optional<Nanos> reset_at;
};

struct ToxicChange {
  bool close_now = false;  // a timeout toxic in effect on this connection was removed
  bool flush = false;      // no delaying toxic remains: release pieces still queued at once
};

class ToxicPipeline {
 public:
  // `rng` drives jitter and slicing of this direction of this connection.
  explicit ToxicPipeline(Random rng) : rng_(std::move(rng)) {}

  // Replaces the toxics in effect (already filtered by direction and toxicity) at time `now`.
  // Toxics kept (same name and settings) keep their state: a limit_data toxic keeps counting, a
  // timeout keeps its deadline.
  ToxicChange set_toxics(Nanos now, const std::vector<Toxic>& toxics);

  // Plans a chunk of `size` bytes that arrived at `now` into `plan`, which is cleared first. The
  // proxy passes the same plan for every chunk of a direction so that, once its vector has grown,
  // planning a chunk allocates nothing (with a slicer or bandwidth toxic, their scratch vectors
  // are reused the same way).
  void on_data(Nanos now, std::size_t size, ChunkPlan& plan);
  // The same, returning a fresh plan (tests).
  ChunkPlan on_data(Nanos now, std::size_t size) {
    ChunkPlan plan;
    on_data(now, size, plan);
    return plan;
  }

  // The earliest time a timeout toxic closes the connection, if any.
  std::optional<Nanos> close_deadline() const;

  std::vector<Toxic> toxics() const;
  bool swallowing() const;  // a timeout or reset_peer toxic is in effect, or a reset is pending

 private:
  struct Active {
    Toxic toxic;
    Nanos since{0};            // when it took effect on this connection
    std::uint64_t passed = 0;  // limit_data: bytes forwarded since then
  };

  const Active* find(ToxicType type) const;
  // Appends the pieces of one slice of `size` bytes that is ready at `ready`.
  void add_slice(ChunkPlan& plan, std::size_t& offset, std::size_t size, Nanos ready);

  Random rng_;
  std::vector<Active> active_;
  LatencySchedule order_;  // keeps releases in order across all toxics
  std::optional<BandwidthPacer> pacer_;
  bool reset_pending_ = false;
  bool limit_reached_ = false;
  // Scratch space reused from chunk to chunk (see on_data).
  std::vector<std::size_t> slices_;
  std::vector<BandwidthPacer::Piece> paced_;
};

}  // namespace redproof::proxy
