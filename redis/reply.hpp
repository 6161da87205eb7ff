// A RESP2 reply, as hiredis's reader parses it, copied into a value type so that it outlives the
// reader's buffers. No I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redproof::redis {

struct Reply {
  enum class Type : std::uint8_t { kNil, kStatus, kError, kInteger, kString, kArray };

  Type type = Type::kNil;
  std::string str;              // kStatus, kError, kString
  std::int64_t integer = 0;     // kInteger
  std::vector<Reply> elements;  // kArray

  static Reply nil() { return {}; }
  static Reply status(std::string s) { return {Type::kStatus, std::move(s), 0, {}}; }
  static Reply error(std::string s) { return {Type::kError, std::move(s), 0, {}}; }
  static Reply integer_reply(std::int64_t v) { return {Type::kInteger, {}, v, {}}; }
  static Reply string(std::string s) { return {Type::kString, std::move(s), 0, {}}; }

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
  bool is_status(std::string_view s) const { return type == Type::kStatus && str == s; }
  // The error's first word ("NOSCRIPT", "WRONGTYPE", "ERR"), or empty.
  std::string_view error_code() const;
  // Integer replies, and strings that hold an integer (e.g. GET of a counter).
  std::optional<std::int64_t> as_integer() const;
  // For messages and logs: "nil", "(error) ERR ...", "\"abc\"", "[1, \"x\"]".
  std::string describe() const;
};

}  // namespace redproof::redis
