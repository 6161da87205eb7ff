#include "core/history_reader.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/file_limits.hpp"

namespace redproof {

namespace {

// A file's whole content followed by SIMDJSON_PADDING zero bytes, as the parser needs. Mapped
// from the page cache, not copied: reading a large history into fresh memory cost as much system
// CPU (a page fault per 4 KiB) as the parsing cost user CPU. The mapping sits at the start of a
// zero-filled anonymous reservation one page longer, so the padding is there whatever the size.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot read history file " + path);
    const bool ok = map(fd);
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot read history file " + path);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (base_ != MAP_FAILED) ::munmap(base_, reserved_);
  }
  std::string_view text() const { return {static_cast<const char*>(base_), size_}; }

 private:
  bool map(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    size_ = static_cast<std::size_t>(st.st_size);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    static_assert(simdjson::SIMDJSON_PADDING <= 4096);
    reserved_ = (size_ / page + 1) * page + page;
    base_ = ::mmap(nullptr, reserved_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base_ == MAP_FAILED) return false;
    if (size_ == 0) return true;
    return ::mmap(base_, size_, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) !=
           MAP_FAILED;
  }

  void* base_ = MAP_FAILED;
  std::size_t reserved_ = 0;
  std::size_t size_ = 0;
};

// What the reader remembers of each process to check the in-flight rules.
struct ProcessState {
  bool in_flight = false;
  bool crashed = false;  // completed with info: the process must never be used again
  std::size_t invoke_line = 0;
  std::size_t invoke_op = 0;  // index in the output of the invoke in flight
};

// The fields of one event, found in one pass over the object (lookups by name would scan the
// object once per field: on large histories that was a tenth of the reading time).
struct EventFields {
  simdjson::dom::element index, time, process, type, f, key, value, error, node, intended;
  bool has_index = false, has_time = false, has_process = false, has_type = false, has_f = false,
       has_key = false, has_value = false, has_error = false, has_node = false,
       has_intended = false;
};

class Validator {
 public:
  explicit Validator(const std::vector<Op>& out) : out_(out) {}

  // Phase one, for one line, in any order and on any thread: the event's fields and their
  // types. Throws HistoryError naming `line`.
  static void read_event(const simdjson::dom::element& doc, std::size_t line, Op& op) {
    simdjson::dom::object obj;
    if (doc.get_object().get(obj)) throw HistoryError(line, "event is not a JSON object");
    EventFields e;
    for (auto field : obj) {
      const std::string_view k = field.key;
      if (k == "index")
        e.index = field.value, e.has_index = true;
      else if (k == "time")
        e.time = field.value, e.has_time = true;
      else if (k == "process")
        e.process = field.value, e.has_process = true;
      else if (k == "type")
        e.type = field.value, e.has_type = true;
      else if (k == "f")
        e.f = field.value, e.has_f = true;
      else if (k == "key")
        e.key = field.value, e.has_key = true;
      else if (k == "value")
        e.value = field.value, e.has_value = true;
      else if (k == "error")
        e.error = field.value, e.has_error = true;
      else if (k == "node")
        e.node = field.value, e.has_node = true;
      else if (k == "intended")
        e.intended = field.value, e.has_intended = true;
    }
    op.index = required_int(e.index, e.has_index, "index", line);
    op.time = required_int(e.time, e.has_time, "time", line);
    read_process(e, op, line);
    read_type(e, op, line);
    op.f = required_string(e.f, e.has_f, "f", line);
    if (op.f.empty()) throw HistoryError(line, "field \"f\" is empty");
    if (auto key = optional_string(e.key, e.has_key, "key", line)) op.key.emplace(*key);
    if (auto error = optional_string(e.error, e.has_error, "error", line)) op.error = *error;
    if (auto node = optional_string(e.node, e.has_node, "node", line)) op.node = *node;
    if (e.has_value) read_value(e.value, op);
    if (e.has_intended && !e.intended.is_null()) {
      op.intended = required_int(e.intended, true, "intended", line);
      if (!op.is_invoke()) throw HistoryError(line, "field \"intended\" on a completion");
      if (op.intended > op.time) {
        throw HistoryError(line, "intended start " + std::to_string(op.intended) +
                                     " is after the invoke's time " + std::to_string(op.time));
      }
    }
  }

  // Phase two, in order: event `i` (on line i + 1) against the events before it.
  void check_sequence(std::size_t i) {
    const Op& op = out_[i];
    const std::size_t line = i + 1;
    if (op.index != static_cast<std::int64_t>(i)) {
      throw HistoryError(line, "index " + std::to_string(op.index) + " out of order (expected " +
                                   std::to_string(i) + ")");
    }
    if (i > 0 && op.time < out_[i - 1].time) {
      throw HistoryError(line, "time " + std::to_string(op.time) + " goes backwards (previous " +
                                   std::to_string(out_[i - 1].time) + ")");
    }
    if (!op.is_nemesis()) check_process_rules(op, i, line);
  }

 private:
  static std::int64_t required_int(const simdjson::dom::element& e, bool present, const char* name,
                                   std::size_t line) {
    if (!present) throw HistoryError(line, std::string("missing field \"") + name + "\"");
    std::int64_t v;
    if (e.get_int64().get(v)) {
      throw HistoryError(line, std::string("field \"") + name + "\" is not an integer");
    }
    if (v < 0) throw HistoryError(line, std::string("field \"") + name + "\" is negative");
    return v;
  }

  static std::string_view required_string(const simdjson::dom::element& e, bool present,
                                          const char* name, std::size_t line) {
    if (!present) throw HistoryError(line, std::string("missing field \"") + name + "\"");
    std::string_view s;
    if (e.get_string().get(s)) {
      throw HistoryError(line, std::string("field \"") + name + "\" is not a string");
    }
    return s;
  }

  // Absent and null both mean "none".
  static std::optional<std::string_view> optional_string(const simdjson::dom::element& e,
                                                         bool present, const char* name,
                                                         std::size_t line) {
    if (!present || e.is_null()) return std::nullopt;
    std::string_view s;
    if (e.get_string().get(s)) {
      throw HistoryError(line, std::string("field \"") + name + "\" is not a string");
    }
    return s;
  }

  // The value as minified JSON text; null (the default) and integers without the minifier.
  static void read_value(const simdjson::dom::element& v, Op& op) {
    if (v.is_null()) return;
    std::int64_t i;
    if (v.type() == simdjson::dom::element_type::INT64 &&
        v.get_int64().get(i) == simdjson::SUCCESS) {
      op.value = std::to_string(i);
      return;
    }
    // A string that needs no escape, minified, is itself between quotes: most values of a kv
    // history, where minify's buffer was a tenth of the reading.
    std::string_view s;
    if (v.type() == simdjson::dom::element_type::STRING &&
        v.get_string().get(s) == simdjson::SUCCESS && std::none_of(s.begin(), s.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
        })) {
      op.value.clear();
      op.value.reserve(s.size() + 2);
      op.value += '"';
      op.value += s;
      op.value += '"';
      return;
    }
    op.value = simdjson::minify(v);
  }

  static void read_process(const EventFields& e, Op& op, std::size_t line) {
    if (!e.has_process) throw HistoryError(line, "missing field \"process\"");
    std::string_view s;
    std::int64_t p;
    if (e.process.get_string().get(s) == simdjson::SUCCESS) {
      if (s != "nemesis") {
        throw HistoryError(line, "field \"process\" must be an integer or \"nemesis\", not \"" +
                                     std::string(s) + "\"");
      }
      op.process = kNemesisProcess;
    } else if (e.process.get_int64().get(p) == simdjson::SUCCESS) {
      if (p < 0) throw HistoryError(line, "field \"process\" is negative");
      op.process = p;
    } else {
      throw HistoryError(line, "field \"process\" must be an integer or \"nemesis\"");
    }
  }

  static void read_type(const EventFields& e, Op& op, std::size_t line) {
    const std::string_view t = required_string(e.type, e.has_type, "type", line);
    auto type = op_type_from_string(t);
    if (!type) {
      throw HistoryError(
          line, "field \"type\" must be invoke, ok, fail or info, not \"" + std::string(t) + "\"");
    }
    op.type = *type;
  }

  ProcessState& state_of(std::int64_t process) {
    // Process numbers are small in practice: a vector, with a map for the odd huge one.
    constexpr std::int64_t kDense = 1 << 20;
    if (process < kDense) {
      if (static_cast<std::size_t>(process) >= dense_.size()) {
        dense_.resize(
            std::max<std::size_t>(static_cast<std::size_t>(process) + 1, dense_.size() * 2));
      }
      return dense_[static_cast<std::size_t>(process)];
    }
    return processes_[process];
  }

  void check_process_rules(const Op& op, std::size_t i, std::size_t line) {
    ProcessState& st = state_of(op.process);
    auto who = [&] { return "process " + std::to_string(op.process); };
    if (st.crashed) {
      throw HistoryError(line, who() + " is used again after an info completion");
    }
    if (op.is_invoke()) {
      if (st.in_flight) {
        throw HistoryError(line, "two invokes in flight on " + who() + " (the first on line " +
                                     std::to_string(st.invoke_line) + ")");
      }
      st.in_flight = true;
      st.invoke_line = line;
      st.invoke_op = i;
      return;
    }
    if (!st.in_flight) {
      throw HistoryError(
          line, std::string(to_string(op.type)) + " completion without invoke on " + who());
    }
    const Op& invoke = out_[st.invoke_op];
    if (op.f != invoke.f) {
      throw HistoryError(line, "completion f \"" + op.f + "\" differs from its invoke's \"" +
                                   invoke.f + "\" (line " + std::to_string(st.invoke_line) + ")");
    }
    if (op.key != invoke.key) {
      throw HistoryError(line, "completion key differs from its invoke's (line " +
                                   std::to_string(st.invoke_line) + ")");
    }
    st.in_flight = false;
    if (op.type == OpType::kInfo) st.crashed = true;
  }

  const std::vector<Op>& out_;
  std::vector<ProcessState> dense_;
  std::unordered_map<std::int64_t, ProcessState> processes_;
};

// One piece of the file, parsed on its own thread into its slice of the output.
struct Chunk {
  std::string_view text;       // whole lines
  std::size_t first_op = 0;    // index of its first line's event in the output
  std::size_t lines = 0;       // lines in it
  std::size_t parsed = 0;      // events read before an error or a truncated last line
  std::size_t torn_bytes = 0;  // the length of the torn last line ignored, if any
  std::optional<HistoryError> error;
};

// Phase one over a chunk: `text` must be followed by SIMDJSON_PADDING readable bytes.
void read_chunk(Chunk& chunk, std::vector<Op>& out, bool last, HistoryReadOptions options) {
  simdjson::dom::parser parser;
  const std::string_view text = chunk.text;
  std::size_t pos = 0;
  try {
    while (pos < text.size()) {
      const std::size_t line = chunk.first_op + chunk.parsed + 1;
      const char* start = text.data() + pos;
      const void* nl = std::memchr(start, '\n', text.size() - pos);
      std::size_t len = nl ? static_cast<const char*>(nl) - start : text.size() - pos;
      pos += len + 1;
      if (len > 0 && start[len - 1] == '\r') --len;  // tolerate CRLF files
      if (len == 0) throw HistoryError(line, "empty line");
      simdjson::dom::element doc;
      auto err = parser.parse(start, len, false).get(doc);
      if (err) {
        if (last && !nl && options.allow_truncated_last_line) {
          chunk.torn_bytes = text.size() - (start - text.data());
          return;
        }
        throw HistoryError(line, std::string("bad JSON: ") + simdjson::error_message(err));
      }
      Validator::read_event(doc, line, out[chunk.first_op + chunk.parsed]);
      ++chunk.parsed;
    }
  } catch (const HistoryError& e) {
    chunk.error = e;
  }
}

// memchr from line to line: several times fewer instructions than std::count byte by byte, which
// was a sixth of reading a 39 MB history.
std::size_t count_newlines(std::string_view text) {
  std::size_t n = 0;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (!nl) break;
    ++n;
    p = static_cast<const char*>(nl) + 1;
  }
  return n;
}

// `text` must be followed by at least SIMDJSON_PADDING readable bytes. Large files are read in
// two phases: the lines' JSON and fields in parallel chunks (most of the cost), then the rules
// that span lines (index and time order, one operation in flight per process) in order. The
// first broken rule by line number is reported, as a sequential reader would.
std::vector<Op> parse_padded(std::string_view text, HistoryReadOptions options,
                             HistoryReadNotes* notes) {
  const std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n = std::clamp<std::size_t>(
      text.size() / std::max<std::size_t>(options.chunk_bytes, 1), 1, threads);
  std::vector<Chunk> chunks;
  std::size_t begin = 0;
  std::size_t lines_before = 0;
  for (std::size_t c = 0; c < n && begin < text.size(); ++c) {
    std::size_t end = text.size();
    if (c + 1 < n) {
      const void* nl = std::memchr(text.data() + begin + (text.size() - begin) / (n - c), '\n',
                                   end - begin - (text.size() - begin) / (n - c));
      end = nl ? static_cast<const char*>(nl) - text.data() + 1 : text.size();
    }
    Chunk chunk;
    chunk.text = text.substr(begin, end - begin);
    chunk.first_op = lines_before;
    chunk.lines = count_newlines(chunk.text);
    if (!chunk.text.empty() && chunk.text.back() != '\n') ++chunk.lines;
    lines_before += chunk.lines;
    chunks.push_back(chunk);
    begin = end;
  }
  std::vector<Op> ops(lines_before);
  if (chunks.empty()) return ops;
  if (chunks.size() == 1) {
    read_chunk(chunks[0], ops, true, options);
  } else {
    std::vector<std::thread> workers;
    for (std::size_t c = 1; c < chunks.size(); ++c) {
      workers.emplace_back([&, c] { read_chunk(chunks[c], ops, c + 1 == chunks.size(), options); });
    }
    read_chunk(chunks[0], ops, chunks.size() == 1, options);
    for (auto& w : workers) w.join();
  }
  // The events read before the first problem of phase one, in order.
  std::size_t valid = 0;
  const HistoryError* first_error = nullptr;
  for (const auto& chunk : chunks) {
    valid = chunk.first_op + chunk.parsed;
    if (chunk.error) {
      first_error = &*chunk.error;
      break;
    }
    if (chunk.parsed < chunk.lines) {  // a truncated last line, allowed
      if (notes) *notes = {1, chunk.torn_bytes};
      break;
    }
  }
  ops.resize(valid);
  Validator validator(ops);
  for (std::size_t i = 0; i < ops.size(); ++i) validator.check_sequence(i);
  if (first_error) throw *first_error;
  return ops;
}

}  // namespace

std::string torn_line_warning(std::size_t torn_bytes) {
  return "history: last line torn (" + std::to_string(torn_bytes) + " bytes), ignored";
}

std::vector<Op> parse_history(std::string_view text, HistoryReadOptions options,
                              HistoryReadNotes* notes) {
  if (notes) *notes = {};
  simdjson::padded_string padded(text);
  return parse_padded(std::string_view(padded.data(), padded.size()), options, notes);
}

std::vector<Op> read_history_file(const std::string& path, HistoryReadOptions options,
                                  HistoryReadNotes* notes) {
  if (notes) *notes = {};
  require_within_limit(path, kMaxHistoryFileBytes, "a history file");
  const MappedFile content(path);
  return parse_padded(content.text(), options, notes);
}

}  // namespace redproof
