// Small helpers for writing JSON text without building a tree: used on paths that run once per
// operation (history lines, values), where nlohmann::json's allocations would show.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace redproof::json_text {

// Appends `s` as a quoted, escaped JSON string.
void append_string(std::string& out, std::string_view s);

// `s` as a quoted JSON string.
std::string quote(std::string_view s);

inline std::string integer(std::int64_t v) { return std::to_string(v); }

}  // namespace redproof::json_text
