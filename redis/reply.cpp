#include "redis/reply.hpp"

#include <charconv>

namespace redproof::redis {

std::string_view Reply::error_code() const {
  if (type != Type::kError) return {};
  std::string_view s = str;
  return s.substr(0, s.find(' '));
}

std::optional<std::int64_t> Reply::as_integer() const {
  if (type == Type::kInteger) return integer;
  if (type != Type::kString && type != Type::kStatus) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(str.data(), str.data() + str.size(), v);
  if (ec != std::errc() || p != str.data() + str.size() || str.empty()) return std::nullopt;
  return v;
}

std::string Reply::describe() const {
  switch (type) {
    case Type::kNil:
      return "nil";
    case Type::kStatus:
      // An empty status ("+\r\n") would read as nothing in a message (found by fuzzing).
      return str.empty() ? "(empty status)" : str;
    case Type::kError:
      return "(error) " + str;
    case Type::kInteger:
      return std::to_string(integer);
    case Type::kString: {
      std::string out = "\"";
      for (char c : str.substr(0, 200)) {
        if (c == '"' || c == '\\') out += '\\';
        out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
      }
      if (str.size() > 200) out += "...";
      return out + "\"";
    }
    case Type::kArray: {
      std::string out = "[";
      for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i) out += ", ";
        out += elements[i].describe();
      }
      return out + "]";
    }
  }
  return "?";
}

}  // namespace redproof::redis
