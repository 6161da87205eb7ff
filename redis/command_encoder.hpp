// Encodes a command as RESP (an array of bulk strings) with hiredis's formatter. No I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace redproof::redis {

// Appends the RESP encoding of `args` to `out` (several commands may share one buffer: a
// pipeline is one write).
void append_command(std::string& out, const std::vector<std::string>& args);
std::string encode_command(const std::vector<std::string>& args);

// Builds an argument list without a braced initializer list: GCC 12 miscompiles
// `co_await f({"SET", k, v})` inside coroutines ("array used as initializer").
template <typename... Args>
std::vector<std::string> command(Args&&... args) {
  std::vector<std::string> v;
  v.reserve(sizeof...(Args));
  (v.emplace_back(std::forward<Args>(args)), ...);
  return v;
}

}  // namespace redproof::redis
