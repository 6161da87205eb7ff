// Durations as users write them on the command line and in plans: "10s", "2m", "250ms", "1.5s",
// "800us", "1h". A bare number is seconds.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace redproof {

using Nanos = std::chrono::nanoseconds;

std::optional<Nanos> parse_duration(std::string_view text);

// "1.50s", "12.3ms", "850us": for summaries.
std::string format_duration(Nanos d);

}  // namespace redproof
