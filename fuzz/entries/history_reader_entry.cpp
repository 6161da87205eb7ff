#include <cstdint>

#include "core/history_reader.hpp"
#include "fuzz/entries/fuzz_entries.hpp"

namespace redproof::fuzz {

void history_reader(std::string_view input) {
  if (input.empty()) return;
  const auto selector = static_cast<unsigned char>(input.front());
  HistoryReadOptions options;
  options.allow_truncated_last_line = (selector & 1) != 0;
  // Small pieces take the parallel path (pieces joined at line boundaries) on small inputs.
  if (selector & 2) options.chunk_bytes = piece_size(selector);
  try {
    const auto ops = parse_history(input.substr(1), options);
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].index != static_cast<std::int64_t>(i))
        throw FuzzFinding("history accepted with an index out of order");
    }
  } catch (const HistoryError&) {
    // the documented rejection: a line number and what is wrong
  }
}

}  // namespace redproof::fuzz
