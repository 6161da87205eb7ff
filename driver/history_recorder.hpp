// Records events into the run's history as they happen: stamps time (the run clock) and process,
// and appends through the thread-safe HistoryWriter, so the file always holds what was observed
// so far.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/history_writer.hpp"
#include "core/op.hpp"

namespace redproof {

class HistoryRecorder {
 public:
  HistoryRecorder(HistoryWriter& writer, const RunClock& clock) : writer_(writer), clock_(clock) {}

  std::int64_t now_ns() const { return clock_.now_ns(); }

  // Appends the invoke of `op` (f, key, value, node, intended) for `process`; returns it as
  // recorded.
  Op invoke(std::int64_t process, Op op) {
    op.process = process;
    op.type = OpType::kInvoke;
    op.time = clock_.now_ns();
    if (op.intended > op.time) op.intended = op.time;  // a timer may wake a hair early
    writer_.append(op);
    return op;
  }

  // Appends the completion of `invoke`.
  Op complete(const Op& invoke, OpType type, std::string value, std::string error) {
    Op op;
    op.process = invoke.process;
    op.type = type;
    op.f = invoke.f;
    op.key = invoke.key;
    op.value = std::move(value);
    op.error = std::move(error);
    op.node = invoke.node;
    op.time = clock_.now_ns();
    writer_.append(op);
    return op;
  }

  // A nemesis event: {"fault": fault, "phase": phase, "target": target} (checkers/fault_windows),
  // and what triggered it when a client's hook did ({"hook", "process"}).
  void nemesis(const std::string& f, const std::string& fault, const std::string& phase,
               const nlohmann::json& target, const std::string& error = {},
               const nlohmann::json& trigger = nullptr) {
    Op op;
    op.process = kNemesisProcess;
    op.type = OpType::kInfo;
    op.f = f;
    nlohmann::json value{{"fault", fault}, {"phase", phase}, {"target", target}};
    if (!trigger.is_null()) value["trigger"] = trigger;
    op.value = value.dump();
    op.error = error;
    op.time = clock_.now_ns();
    writer_.append(op);
  }

  void flush() { writer_.flush(); }
  // On disk, not only written: at fault boundaries, never per operation (HistoryWriter::sync).
  void sync() { writer_.sync(); }

 private:
  HistoryWriter& writer_;
  const RunClock& clock_;
};

}  // namespace redproof
