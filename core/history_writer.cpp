#include "core/history_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "core/json_text.hpp"
#include "core/private_files.hpp"

namespace redproof {

namespace {

constexpr std::size_t kAutoFlushBytes = HistoryWriter::kAutoFlushBytes;

// Integers without a temporary string: this runs twice per operation on the load's hot path.
void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}
}  // namespace

void append_history_line(std::string& out, const Op& op) {
  out += "{\"index\":";
  append_int(out, op.index);
  out += ",\"time\":";
  append_int(out, op.time);
  out += ",\"process\":";
  if (op.is_nemesis()) {
    out += "\"nemesis\"";
  } else {
    append_int(out, op.process);
  }
  out += ",\"type\":\"";
  out += to_string(op.type);
  out += "\",\"f\":";
  json_text::append_string(out, op.f);
  if (op.key) {
    out += ",\"key\":";
    json_text::append_string(out, *op.key);
  }
  out += ",\"value\":";
  out += op.value.empty() ? std::string_view("null") : std::string_view(op.value);
  if (!op.error.empty()) {
    out += ",\"error\":";
    json_text::append_string(out, op.error);
  }
  if (!op.node.empty()) {
    out += ",\"node\":";
    json_text::append_string(out, op.node);
  }
  if (op.intended >= 0 && op.is_invoke()) {
    out += ",\"intended\":";
    append_int(out, op.intended);
  }
  out += '}';
}

std::string history_line(const Op& op) {
  std::string out;
  append_history_line(out, op);
  return out;
}

HistoryWriter::HistoryWriter(const std::string& path) : path_(path) {
  fd_ = open_private_file(path);
  if (fd_ < 0) {
    throw std::runtime_error("cannot create history file " + path + ": " + std::strerror(errno));
  }
}

HistoryWriter::~HistoryWriter() {
  std::lock_guard lock(mu_);
  try {
    flush_locked();
  } catch (const std::exception&) {
    // A destructor cannot report it; the reader will reject the truncated file by line.
  }
  // Gives back the blocks reserved past the end (a truncate to the same size frees them); if it
  // fails, only disk space is lost, never a line.
  if (reserved_ > written_ && ::ftruncate(fd_, written_) != 0) reserved_ = 0;
  if (fd_ >= 0) ::close(fd_);
}

std::int64_t HistoryWriter::append(Op& op) {
  std::lock_guard lock(mu_);
  op.index = next_index_++;
  if (op.time < last_time_) op.time = last_time_;
  last_time_ = op.time;
  line_.clear();
  append_history_line(line_, op);
  line_ += '\n';
  buffer_.append(line_);
  if (buffer_.size() >= kAutoFlushBytes) flush_locked();
  return op.index;
}

void HistoryWriter::flush() {
  std::lock_guard lock(mu_);
  flush_locked();
}

void HistoryWriter::sync() {
  {
    std::lock_guard lock(mu_);
    flush_locked();
  }
  // Outside the lock: the file descriptor lives as long as the writer, and appends that land
  // during the call are simply synced by the next one.
  while (::fdatasync(fd_) != 0) {
    if (errno == EINTR) continue;
    if (errno == EINVAL || errno == EROFS) return;  // a file that cannot be synced (a pipe, tmpfs)
    throw std::runtime_error("cannot sync history file " + path_ + ": " + std::strerror(errno));
  }
}

std::int64_t HistoryWriter::size() const {
  std::lock_guard lock(mu_);
  return next_index_;
}

void HistoryWriter::reserve_blocks_for(std::size_t bytes) {
  constexpr std::int64_t kStep = 8 << 20;
  if (!reserving_ || written_ + static_cast<std::int64_t>(bytes) <= reserved_) return;
  const std::int64_t until = written_ + static_cast<std::int64_t>(bytes) + kStep;
  if (::fallocate(fd_, FALLOC_FL_KEEP_SIZE, reserved_, until - reserved_) == 0) {
    reserved_ = until;
  } else {
    reserving_ = false;  // not supported here (or the disk is full: write(2) will say so)
  }
}

void HistoryWriter::flush_locked() {
  if (buffer_.empty()) return;
  reserve_blocks_for(buffer_.size());
  std::size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write history file " + path_ + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
    written_ += n;
  }
  buffer_.clear();
}

}  // namespace redproof
