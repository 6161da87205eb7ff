// Records the load engine's requests in a history (what `run` does), cheaply: events are kept
// compact per thread and formatted straight into the writer's buffer in batches, one lock per
// batch, with the JSON fragments of each command and the key prefix prepared once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
  const std::string& middle(std::size_t command, EventType type) const {
    return middles_[command * 4 + static_cast<std::size_t>(type)];
  }

 private:
  HistoryWriter writer_;
  std::vector<std::string> middles_;
};

// One thread's pending events.
class LoadHistoryBatch {
 public:
  explicit LoadHistoryBatch(LoadHistory& history) : history_(history) {}
  void add(std::int64_t time, std::int64_t process, EventType type, std::uint32_t command,
           std::uint64_t key, const char* error = nullptr) {
    events_.push_back({time, process, key, error, command, type});
  }
  void flush();

 private:
  struct Event {
    std::int64_t time;
    std::int64_t process;
    std::uint64_t key;
    const char* error;  // a string literal, or null
    std::uint32_t command;
    EventType type;
  };
  LoadHistory& history_;
  std::vector<Event> events_;
};

}  // namespace redproof::load
