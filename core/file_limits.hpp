// The largest file redproof reads for each kind of input, in one place, so that a wrong path (a
// disk image, /dev/zero, a log) is refused with one line before it is read into memory instead of
// exhausting it. README ("Killed runs and file limits") lists the same figures.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace redproof {

// A history is read whole into memory and then parsed into events that take about twice its
// size again: 4 GiB needs about 12 GiB, half of the 24 GiB machines the project runs on. A
// history that large (tens of millions of operations) is beyond what the checkers decide in their
// default budgets anyway; a longer run is better split.
inline constexpr std::int64_t kMaxHistoryFileBytes = std::int64_t{4} << 30;
// run.json, results.json, state.json and baselines, which redproof wrote itself: far larger than
// any it writes (anomaly lists are capped), small enough to parse without thought.
inline constexpr std::int64_t kMaxRunJsonBytes = std::int64_t{64} << 20;
// A suite plan is a hand-written list of runs: a few KiB.
inline constexpr std::int64_t kMaxSuitePlanBytes = std::int64_t{1} << 20;
// A Lua workload script (--script) is hand-written code: a few KiB.
inline constexpr std::int64_t kMaxScriptBytes = std::int64_t{1} << 20;

// "4 GiB", "1 MiB", "512 KiB" or "300 bytes": the limits are whole powers of two.
inline std::string size_text(std::int64_t bytes) {
  if (bytes >= (std::int64_t{1} << 30) && bytes % (std::int64_t{1} << 30) == 0) {
    return std::to_string(bytes >> 30) + " GiB";
  }
  if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1 << 10) && bytes % (1 << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// Throws std::runtime_error ("PATH: N bytes, over the 1 MiB limit for a suite plan") when the file
// at `path` is larger than `limit`, or is not a regular file (a device or a pipe has no size to
// check and may never end). A path that cannot be examined passes: the reader that opens it next
// reports that in its own words.
inline void require_within_limit(const std::string& path, std::int64_t limit, const char* what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) return;
  if (!S_ISREG(st.st_mode)) {
    throw std::runtime_error(path + ": not a regular file (expected " + std::string(what) + ")");
  }
  if (st.st_size > limit) {
    throw std::runtime_error(path + ": " + std::to_string(st.st_size) + " bytes, over the " +
                             size_text(limit) + " limit for " + what);
  }
}

}  // namespace redproof
