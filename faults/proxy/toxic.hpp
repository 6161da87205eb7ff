// A toxic: one network misbehaviour that the fault proxy applies to the bytes of one direction
// of its connections, after Toxiproxy (same names, same attributes, same units in JSON). This is a
// plain description with its parser; it knows nothing of sockets, so it is unit-tested alone.
//
// Text form, for the command line and plans:
//
//   TYPE[:ARG]...[,KEY=VALUE]...
//
//   latency:LATENCY[:JITTER]          latency:50ms:10ms    each chunk delayed LATENCY ± JITTER
//   bandwidth:RATE                    bandwidth:100        at most RATE KB/s (1 KB = 1000 bytes)
//   timeout[:TIMEOUT]                 timeout, timeout:2s  swallow data; close after TIMEOUT if >0
//   reset_peer[:TIMEOUT]              reset_peer:100ms     on data, reset (RST) after TIMEOUT
//   slicer:AVERAGE[:VARIATION[:DELAY]] slicer:64:16:1ms    split into AVERAGE ± VARIATION bytes
//   limit_data:BYTES                  limit_data:1024      close once BYTES have been forwarded
//
//   keys: stream=upstream|downstream (also up|down; default downstream, as in Toxiproxy),
//         toxicity=P (0..1, default 1: the share of connections affected),
//         name=NAME (default TYPE_STREAM; unique within a proxy),
//         from=ADDRESS (only connections from that client IP address; default every client —
//         a redproof extension, with which a topology cuts one server's outgoing links)
//
// Durations need a unit (50ms, 1.5s, 800us) except the bare 0, because Toxiproxy's unit is the
// millisecond and core's bare number is the second: a bare number would be read wrongly by one
// of the two audiences. `reset-peer` and `limit-data` are accepted for `reset_peer` and
// `limit_data` (the CLI spells names with hyphens).
//
// JSON form, Toxiproxy's: {"name":..., "type":"latency", "stream":"downstream", "toxicity":1.0,
// "attributes":{"latency":50, "jitter":10}} with Toxiproxy's units (latency, jitter, timeout in
// ms; slicer delay in µs; rate in KB/s; bytes). A time attribute may also be a string with a
// unit ("50ms"). "from" is an optional top-level field, as in the text form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/duration.hpp"

namespace redproof::proxy {

// Upstream is client → server, downstream is server → client (Toxiproxy's words).
enum class Direction : std::uint8_t { kUpstream, kDownstream };

enum class ToxicType : std::uint8_t {
  kLatency,
  kBandwidth,
  kTimeout,
  kResetPeer,
  kSlicer,
  kLimitData,
};

std::string_view to_string(Direction d);
std::string_view to_string(ToxicType t);

// A toxic that cannot be parsed or is out of range. The message is one line naming the toxic
// text or field and what is wrong with it.
class ToxicError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct Toxic {
  std::string name;  // unique within a proxy
  ToxicType type = ToxicType::kLatency;
  Direction stream = Direction::kDownstream;
  double toxicity = 1.0;  // probability, decided once per connection
  std::string from;       // client IP address the toxic is limited to; empty: every client

  Nanos latency{0};  // latency
  Nanos jitter{0};   // latency: uniform in [-jitter, +jitter], jitter <= latency

  std::int64_t rate_kbps = 0;  // bandwidth: KB/s, > 0

  Nanos timeout{0};  // timeout (0: black hole until removed), reset_peer (delay before RST)

  std::size_t average_size = 0;    // slicer: > 0
  std::size_t size_variation = 0;  // slicer: < average_size
  Nanos delay{0};                  // slicer: pause between two slices

  std::uint64_t bytes = 0;  // limit_data

  // Whether this toxic holds data back in time (latency, bandwidth, slicer).
  bool delays_data() const {
    return type == ToxicType::kLatency || type == ToxicType::kBandwidth ||
           type == ToxicType::kSlicer;
  }
  bool operator==(const Toxic&) const = default;
};

// The text form above. Throws ToxicError.
Toxic parse_toxic(std::string_view text);
// Toxiproxy's JSON form. Throws ToxicError.
Toxic toxic_from_json(const nlohmann::json& j);
// JSON when the text starts with '{', the text form otherwise. Throws ToxicError.
Toxic parse_toxic_spec(std::string_view text);

// Checks ranges (what the parsers check); throws ToxicError. For toxics built in code.
void validate(const Toxic& t);

// Canonical text form; parse_toxic(to_string(t)) == t.
std::string to_string(const Toxic& t);
// Toxiproxy's JSON form; toxic_from_json(to_json(t)) == t.
nlohmann::json to_json(const Toxic& t);

}  // namespace redproof::proxy
