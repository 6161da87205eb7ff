// The functions the fuzzers call, one per kind of hostile input. They are plain C++ (no libFuzzer
// in them) so that the GCC build's regression test (tests/unit/fuzz_regressions) can feed them
// the inputs that once crashed. Each must return normally for every input: the documented errors
// of the code under test are caught here, anything else escapes and is a finding. A broken rule
// of the code under test (not a crash) is thrown as FuzzFinding.
#pragma once

#include <stdexcept>
#include <string_view>

namespace redproof::fuzz {

class FuzzFinding : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// A history file's text (core/history_reader). The first byte picks the read options.
void history_reader(std::string_view input);
// A suite plan's text (driver/suite/suite_plan).
void suite_plan(std::string_view input);
// Bytes from a server, fed in pieces (redis/resp_reader). The first byte picks the piece size.
void resp_reader(std::string_view input);
// Bytes from a server mapped to operation outcomes as a connection and a client map them
// (redis/error_kind, workloads/client): an unknown outcome must never be recorded as a failure.
// The first byte picks plain command or script, and the piece size.
void reply_outcome(std::string_view input);

// The piece size a fuzz input's first byte encodes: 1 to 64 bytes.
inline std::size_t piece_size(unsigned char selector) {
  return 1 + (selector >> 2) % 64;
}

}  // namespace redproof::fuzz
