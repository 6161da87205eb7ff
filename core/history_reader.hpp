// Reads and validates a history (../shared/spec/history.md). Every rule of the spec is checked;
// the first broken one is reported with its 1-based line number, and no partial history is
// returned. Parsing uses simdjson, because on large histories reading is the main cost of
// checking.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/op.hpp"

namespace redproof {

class HistoryError : public std::runtime_error {
 public:
  HistoryError(std::size_t line, const std::string& what)
      : std::runtime_error("line " + std::to_string(line) + ": " + what), line_(line) {}
  std::size_t line() const { return line_; }

 private:
  std::size_t line_;
};

struct HistoryReadOptions {
  // A run killed mid-write may leave a torn last line (no newline, not whole JSON): ignore it and
  // accept the prefix before it instead of rejecting the whole file (`check` and `report` on a
  // killed run's history). Only the last line: a bad line with lines after it is still an error.
  bool allow_truncated_last_line = false;
  // Files larger than this are read in parallel pieces of about this size (one per core at
  // most); tests make it small to exercise the piecewise reading on small texts.
  std::size_t chunk_bytes = 4 << 20;
};

// What reading noticed besides the events: the torn last line it ignored, if any.
struct HistoryReadNotes {
  std::size_t torn_lines = 0;  // 0 or 1
  std::size_t torn_bytes = 0;  // the torn line's length
};

// The one-line warning for a torn last line: "history: last line torn (N bytes), ignored".
std::string torn_line_warning(std::size_t torn_bytes);

// Throws HistoryError on malformed content, std::runtime_error when the file cannot be read or is
// larger than kMaxHistoryFileBytes (core/file_limits.hpp). `notes`, when given, is filled in.
std::vector<Op> read_history_file(const std::string& path, HistoryReadOptions options = {},
                                  HistoryReadNotes* notes = nullptr);
std::vector<Op> parse_history(std::string_view text, HistoryReadOptions options = {},
                              HistoryReadNotes* notes = nullptr);

}  // namespace redproof
