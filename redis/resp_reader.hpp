// Parses RESP replies from bytes as they arrive, with hiredis's reader (redisReader). No I/O:
// the connection feeds it what the socket read, and tests feed it strings.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "redis/reply.hpp"

struct redisReader;

namespace redproof::redis {

class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RespReader {
 public:
  RespReader();
  ~RespReader();
  RespReader(const RespReader&) = delete;
  RespReader& operator=(const RespReader&) = delete;

  void feed(std::string_view bytes);
  // The next complete reply, or nullopt until more bytes arrive. Throws ProtocolError on bytes
  // that are not RESP (the connection must then be dropped).
  std::optional<Reply> next();
  // Forget buffered bytes (after the connection was closed).
  void reset();

 private:
  bool array_too_large_ = false;  // set by the reader's array hook (resp_reader.cpp)
  redisReader* reader_;
};

}  // namespace redproof::redis
