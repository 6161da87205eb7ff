// Records the load engine's requests in a history (what `run` does), cheaply: events are kept
// compact per thread and formatted straight into the writer's buffer in batches, one lock per
// batch, with the JSON fragments of each command and the key prefix prepared once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/history_writer.hpp"
#include "driver/load/command_mix.hpp"

namespace redproof::load {

enum class EventType : std::uint8_t { kInvoke, kOk, kFail, kInfo };

// What every thread shares: the writer and the prepared fragments.
class LoadHistory {
 public:
  LoadHistory(const std::string& path, const CommandMix& mix, const TemplateOptions& options);
  HistoryWriter& writer() { return writer_; }
  // `"type":"ok","f":"set","key":"key:` for a command and type (without the key's digits).
  // Its storage holds at least kMiddleCopy bytes, so that it can be copied with a fixed size.
  std::string_view middle(std::size_t command, EventType type) const {
    const std::size_t i = command * 4 + static_cast<std::size_t>(type);
    return {middles_[i].data(), middle_sizes_[i]};
  }
  static constexpr std::size_t kMiddleCopy = 64;

 private:
  HistoryWriter writer_;
  std::vector<std::string> middles_;       // padded to kMiddleCopy
  std::vector<std::size_t> middle_sizes_;  // without the padding
};

// One thread's pending events.
class LoadHistoryBatch {
 public:
  explicit LoadHistoryBatch(LoadHistory& history) : history_(history) {}
  void add(std::int64_t time, std::int64_t process, EventType type, std::uint32_t command,
           const KeyDigits& key, const char* error = nullptr) {
    events_.push_back({time, process, error, command, type, key});
  }
  void flush();

 private:
  struct Event {
    std::int64_t time;
    std::int64_t process;
    const char* error;  // a plain ASCII string literal (written unescaped), or null
    std::uint32_t command;
    EventType type;
    KeyDigits key;
  };
  LoadHistory& history_;
  std::vector<Event> events_;
  // Consecutive lines mostly share a time (a pipeline's requests) and count their index up.
  decimal::Cached index_text_;
  decimal::Cached time_text_;
};

}  // namespace redproof::load
