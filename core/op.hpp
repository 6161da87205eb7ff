// One event of a history: an operation's invoke or its completion, or a nemesis event.
// The shape follows ../shared/spec/history.md (and so a Jepsen operation map).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redproof {

enum class OpType : std::uint8_t { kInvoke, kOk, kFail, kInfo };

std::string_view to_string(OpType type);
std::optional<OpType> op_type_from_string(std::string_view s);

// The process number used for nemesis (fault injector) events, written as "nemesis".
inline constexpr std::int64_t kNemesisProcess = -1;

struct Op {
  std::int64_t index = -1;  // assigned by the history writer
  std::int64_t time = 0;    // ns since the run started (monotonic)
  std::int64_t process = 0;
  OpType type = OpType::kInvoke;
  std::string f;
  std::optional<std::string> key;
  // The value as minified JSON text ("null" when absent). Kept as text so that reading and
  // writing histories never builds a JSON tree: checkers parse only the values they need.
  std::string value = "null";
  std::string error;  // empty: none
  std::string node;   // empty: none
  // Invokes of an open-loop run (--rate) only: when the schedule meant the operation to start
  // (ns, <= time). Latency counts from here (coordinated omission corrected); -1: none. An
  // extension of ../shared/spec/history.md ("intended"), which checkers of order ignore.
  std::int64_t intended = -1;

  bool is_nemesis() const { return process == kNemesisProcess; }
  bool is_invoke() const { return type == OpType::kInvoke; }
  bool is_completion() const { return type != OpType::kInvoke; }
};

}  // namespace redproof
