#include "driver/load/load_history.hpp"

#include <cstring>

#include "core/json_text.hpp"

namespace redproof::load {

namespace {

// Writes `v` (non-negative) in decimal at `p`, two digits per step; returns the end. The
// history's hot path spends most of its formatting time here, so it avoids to_chars' generality.
char* write_uint(char* p, std::uint64_t v) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  char buf[20];
  char* end = buf + sizeof buf;
  char* q = end;
  while (v >= 100) {
    const auto pair = static_cast<std::size_t>(v % 100) * 2;
    v /= 100;
    *--q = kPairs[pair + 1];
    *--q = kPairs[pair];
  }
  if (v >= 10) {
    *--q = kPairs[v * 2 + 1];
    *--q = kPairs[v * 2];
  } else {
    *--q = static_cast<char>('0' + v);
  }
  const auto n = static_cast<std::size_t>(end - q);
  std::memcpy(p, q, n);
  return p + n;
}

char* write_int(char* p, std::int64_t v) {
  if (v < 0) {
    *p++ = '-';
    return write_uint(p, static_cast<std::uint64_t>(-(v + 1)) + 1);
  }
  return write_uint(p, static_cast<std::uint64_t>(v));
}

// The fixed text of a line and three 20-character numbers, with room to spare.
constexpr std::size_t kFixedRoom = 128;

template <std::size_t N>
char* write_literal(char* p, const char (&text)[N]) {
  std::memcpy(p, text, N - 1);
  return p + N - 1;
}

}  // namespace

LoadHistory::LoadHistory(const std::string& path, const CommandMix& mix,
                         const TemplateOptions& options)
    : writer_(path) {
  // The key prefix as JSON string content (escaped, without quotes).
  std::string prefix = json_text::quote(options.key_prefix);
  prefix = prefix.substr(1, prefix.size() - 2);
  static const char* kTypes[] = {"invoke", "ok", "fail", "info"};
  for (std::size_t c = 0; c < mix.size(); ++c) {
    for (const char* type : kTypes) {
      std::string m = ",\"type\":\"";
      m += type;
      m += "\",\"f\":";
      json_text::append_string(m, mix.at(c).name);
      m += ",\"key\":\"" + prefix;
      middles_.push_back(std::move(m));
    }
  }
}

void LoadHistoryBatch::flush() {
  if (events_.empty()) return;
  history_.writer().append_formatted(
      events_.size(), [this, i = std::size_t{0}](std::string& out, std::int64_t index,
                                                 std::int64_t min_time) mutable {
        const Event& e = events_[i++];
        const std::int64_t time = e.time < min_time ? min_time : e.time;
        const std::string& middle = history_.middle(e.command, e.type);
        // Room for the longest line this event can make, written through a pointer and then
        // trimmed: one size check per line instead of one per fragment.
        const std::size_t at = out.size();
        out.resize(at + kFixedRoom + middle.size() + kKeyDigits);
        char* p = out.data() + at;
        p = write_literal(p, "{\"index\":");
        p = write_int(p, index);
        p = write_literal(p, ",\"time\":");
        p = write_int(p, time);
        p = write_literal(p, ",\"process\":");
        p = write_int(p, e.process);
        std::memcpy(p, middle.data(), middle.size());
        p += middle.size();
        std::uint64_t k = e.key;
        for (std::size_t d = kKeyDigits; d-- > 0;) {
          p[d] = static_cast<char>('0' + k % 10);
          k /= 10;
        }
        p += kKeyDigits;
        *p++ = '"';  // `value` is left out: null is its default (history.md), and bytes cost here
        out.resize(static_cast<std::size_t>(p - out.data()));
        if (e.error) {
          out += ",\"error\":";
          json_text::append_string(out, e.error);
        }
        out += "}\n";
        return time;
      });
  events_.clear();
}

}  // namespace redproof::load
