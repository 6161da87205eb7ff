// Appends events to history.jsonl as they happen (../shared/spec/history.md).
//
// Lines are buffered and written with one write(2) per flush; the driver flushes on a short timer
// and at every phase change, so a run killed with SIGKILL leaves a prefix of whole lines that the
// reader accepts (the kernel keeps what write(2) was given even when the process dies).
//
// sync() also asks the disk to keep what was written (fdatasync): the nemesis calls it at each
// fault's start and end, so that what a fault did survives even a machine crash before the next
// fault starts. It is never called per operation: one fdatasync costs milliseconds.
//
// The file is created 0600 (core/private_files.hpp): it holds the keys and values of the server.
//
// The file's blocks are reserved ahead of the writes in large steps (fallocate, size unchanged):
// a load run writes a few hundred bytes per request, and ext4's per-page delayed allocation was
// a third of the write(2) cost. What is reserved past the end is given back on close.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/line_buffer.hpp"
#include "core/op.hpp"

namespace redproof {

// The JSON line for one event, without the trailing newline.
void append_history_line(std::string& out, const Op& op);
std::string history_line(const Op& op);

class HistoryWriter {
 public:
  static constexpr std::size_t kAutoFlushBytes = 64 * 1024;

  // Creates (truncates) `path`. Throws std::runtime_error naming the path when it cannot.
  explicit HistoryWriter(const std::string& path);
  ~HistoryWriter();
  HistoryWriter(const HistoryWriter&) = delete;
  HistoryWriter& operator=(const HistoryWriter&) = delete;

  // Assigns op.index and appends it. Thread-safe. Flushes by itself once the buffer is large.
  // Times stay non-decreasing as the spec requires: an event stamped on one thread just before
  // another thread appended a later one is written with that later time (a difference of the
  // time it took to take the lock).
  std::int64_t append(Op& op);
  // For hot paths that format lines themselves (the load engine): under one lock, calls
  // `format(out, index, min_time)` `count` times with `out` a LineBuffer; each call appends one
  // whole line (newline included) for event `index` with a time of at least `min_time`, and
  // returns that time.
  template <typename Format>
  void append_formatted(std::size_t count, Format&& format) {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < count; ++i) last_time_ = format(buffer_, next_index_++, last_time_);
    if (buffer_.size() >= kAutoFlushBytes) flush_locked();
  }

  void flush();
  // flush(), then fdatasync(2). Writers on other threads wait only for the flush, not the disk.
  // Throws std::runtime_error naming the path when the disk refuses.
  void sync();
  std::int64_t size() const;
  const std::string& path() const { return path_; }

 private:
  void flush_locked();
  void reserve_blocks_for(std::size_t bytes);

  std::string path_;
  int fd_ = -1;
  mutable std::mutex mu_;
  LineBuffer buffer_;
  std::string line_;           // the slow path's line, before it is copied into buffer_
  std::int64_t written_ = 0;   // bytes in the file
  std::int64_t reserved_ = 0;  // bytes the file system has reserved for it (0: not supported)
  bool reserving_ = true;
  std::int64_t next_index_ = 0;
  std::int64_t last_time_ = 0;
};

}  // namespace redproof
