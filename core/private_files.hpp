// Files and directories only their owner can read: a run's results hold the keys and values of
// the server under test (and, against a staging server, its data), so they are created 0600 and
// their directories 0700 whatever the umask. Existing directories keep the mode their owner gave
// them.
#pragma once

#include <string>

namespace redproof {

inline constexpr unsigned kPrivateFileMode = 0600;
inline constexpr unsigned kPrivateDirectoryMode = 0700;

// Creates `path` and its missing parents, each new one 0700. Throws std::runtime_error naming the
// path when it cannot.
void create_private_directories(const std::string& path);

// Creates `path` (0700) when it does not exist. Returns false when it already existed. Throws
// std::runtime_error naming the path on any other failure.
bool create_private_directory(const std::string& path);

// Writes `content` to `path` (0600) through a temporary file renamed over it, so that readers (a
// browser on report.html, a script polling results.json) never see half a file. Throws
// std::runtime_error naming the path when it cannot.
void write_private_file_atomically(const std::string& path, const std::string& content);

// Opens `path` for writing (created 0600, truncated, close-on-exec) and returns the descriptor,
// or -1 with errno set.
int open_private_file(const std::string& path);

}  // namespace redproof
