#include "driver/load/load_history.hpp"

#include <algorithm>
#include <cstring>

#include "core/json_text.hpp"

namespace redproof::load {

namespace {

// The fixed text of a line (`{"index":`, `,"time":`, `,"process":`, the key's closing quote,
// `,"error":""` and `}\n`: 42 bytes) and three numbers of up to decimal::Cached::kRoom bytes.
constexpr std::size_t kFixedRoom = 64 + 3 * decimal::Cached::kRoom;

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
      middle_sizes_.push_back(m.size());
      if (m.size() < kMiddleCopy) m.resize(kMiddleCopy);
      middles_.push_back(std::move(m));
    }
  }
}

void LoadHistoryBatch::flush() {
  if (events_.empty()) return;
  history_.writer().append_formatted(
      events_.size(), [this, i = std::size_t{0}](LineBuffer& out, std::int64_t index,
                                                 std::int64_t min_time) mutable {
        const Event& e = events_[i++];
        const std::int64_t time = e.time < min_time ? min_time : e.time;
        const std::string_view middle = history_.middle(e.command, e.type);
        const std::string_view error = e.error ? e.error : "";
        // Room for the longest line this event can make, written through a pointer and then
        // trimmed: one size check per line instead of one per fragment.
        constexpr std::size_t kCopy = LoadHistory::kMiddleCopy;
        char* p = out.room(kFixedRoom + std::max(middle.size(), kCopy) + kKeyDigits + error.size());
        p = write_literal(p, "{\"index\":");
        p = index_text_.write(p, static_cast<std::uint64_t>(index));
        p = write_literal(p, ",\"time\":");
        p = time_text_.write(p, static_cast<std::uint64_t>(time));
        p = write_literal(p, ",\"process\":");
        p = decimal::write(p, e.process);
        if (middle.size() <= kCopy) {
          std::memcpy(p, middle.data(), kCopy);  // a fixed size: a few vector moves, no call
        } else {
          std::memcpy(p, middle.data(), middle.size());
        }
        p += middle.size();
        std::memcpy(p, e.key.data(), kKeyDigits);  // the digits the request was sent with
        p += kKeyDigits;
        *p++ = '"';  // `value` is left out: null is its default (history.md), and bytes cost here
        if (!error.empty()) {
          // The engine's errors are its own literals, plain ASCII with nothing to escape.
          p = write_literal(p, ",\"error\":\"");
          std::memcpy(p, error.data(), error.size());
          p += error.size();
          *p++ = '"';
        }
        p = write_literal(p, "}\n");
        out.commit(p);
        return time;
      });
  events_.clear();
}

}  // namespace redproof::load
