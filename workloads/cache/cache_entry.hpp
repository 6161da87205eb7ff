// What a cache entry holds in Redis: "<version>:<payload>". A tombstone (cache-aside-versioned's
// invalidation) is "<version>:" with no payload: it remembers the version the row reached so a
// slow fill of an older row is refused. A user's set-if-newer script stores ARGV[2] as given,
// which begins with the version and a colon as well.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace redproof::cache {

struct Entry {
  std::int64_t version = 0;
  std::string payload;
  bool tombstone() const { return payload.empty(); }
};

inline std::string entry_text(std::int64_t version, std::string_view payload) {
  return fmt::format("{}:{}", version, payload);
}

// The payload the application stores for a version: what the row's value column holds.
inline std::string payload_for(std::string_view item, std::int64_t version) {
  return fmt::format("{}@{}", item, version);
}

// nullopt when the text is not an entry (something else wrote the key).
inline std::optional<Entry> parse_entry(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text.substr(0, colon)) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return Entry{v, std::string(text.substr(colon + 1))};
}

}  // namespace redproof::cache
