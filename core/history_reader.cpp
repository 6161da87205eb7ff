#include "core/history_reader.hpp"

#include <simdjson.h>

#include <cstring>
#include <unordered_map>

namespace redproof {

namespace {

// What the reader remembers of each process to check the in-flight rules.
struct ProcessState {
  bool in_flight = false;
  bool crashed = false;  // completed with info: the process must never be used again
  std::size_t invoke_line = 0;
  std::string f;
  std::optional<std::string> key;
};

class Validator {
 public:
  explicit Validator(std::vector<Op>& out) : out_(out) {}

  void add(const simdjson::dom::element& doc, std::size_t line) {
    simdjson::dom::object obj;
    if (doc.get_object().get(obj)) throw HistoryError(line, "event is not a JSON object");

    Op op;
    op.index = required_int(obj, "index", line);
    if (op.index != static_cast<std::int64_t>(out_.size())) {
      throw HistoryError(line, "index " + std::to_string(op.index) + " out of order (expected " +
                                   std::to_string(out_.size()) + ")");
    }
    op.time = required_int(obj, "time", line);
    if (!out_.empty() && op.time < out_.back().time) {
      throw HistoryError(line, "time " + std::to_string(op.time) + " goes backwards (previous " +
                                   std::to_string(out_.back().time) + ")");
    }
    read_process(obj, op, line);
    read_type(obj, op, line);
    op.f = required_string(obj, "f", line);
    if (op.f.empty()) throw HistoryError(line, "field \"f\" is empty");
    op.key = optional_string(obj, "key", line);
    op.error = optional_string(obj, "error", line).value_or("");
    op.node = optional_string(obj, "node", line).value_or("");
    simdjson::dom::element value;
    if (obj["value"].get(value) == simdjson::SUCCESS) op.value = simdjson::minify(value);

    if (!op.is_nemesis()) check_process_rules(op, line);
    out_.push_back(std::move(op));
  }

 private:
  static std::int64_t required_int(simdjson::dom::object& obj, const char* name,
                                   std::size_t line) {
    simdjson::dom::element e;
    if (obj[name].get(e)) throw HistoryError(line, std::string("missing field \"") + name + "\"");
    std::int64_t v;
    if (e.get_int64().get(v)) {
      throw HistoryError(line, std::string("field \"") + name + "\" is not an integer");
    }
    if (v < 0) throw HistoryError(line, std::string("field \"") + name + "\" is negative");
    return v;
  }

  static std::string required_string(simdjson::dom::object& obj, const char* name,
                                     std::size_t line) {
    simdjson::dom::element e;
    if (obj[name].get(e)) throw HistoryError(line, std::string("missing field \"") + name + "\"");
    std::string_view s;
    if (e.get_string().get(s)) {
      throw HistoryError(line, std::string("field \"") + name + "\" is not a string");
    }
    return std::string(s);
  }

  // Absent and null both mean "none".
  static std::optional<std::string> optional_string(simdjson::dom::object& obj, const char* name,
                                                    std::size_t line) {
    simdjson::dom::element e;
    if (obj[name].get(e) || e.is_null()) return std::nullopt;
    std::string_view s;
    if (e.get_string().get(s)) {
      throw HistoryError(line, std::string("field \"") + name + "\" is not a string");
    }
    return std::string(s);
  }

  static void read_process(simdjson::dom::object& obj, Op& op, std::size_t line) {
    simdjson::dom::element e;
    if (obj["process"].get(e)) throw HistoryError(line, "missing field \"process\"");
    std::string_view s;
    std::int64_t p;
    if (e.get_string().get(s) == simdjson::SUCCESS) {
      if (s != "nemesis") {
        throw HistoryError(line, "field \"process\" must be an integer or \"nemesis\", not \"" +
                                     std::string(s) + "\"");
      }
      op.process = kNemesisProcess;
    } else if (e.get_int64().get(p) == simdjson::SUCCESS) {
      if (p < 0) throw HistoryError(line, "field \"process\" is negative");
      op.process = p;
    } else {
      throw HistoryError(line, "field \"process\" must be an integer or \"nemesis\"");
    }
  }

  static void read_type(simdjson::dom::object& obj, Op& op, std::size_t line) {
    std::string t = required_string(obj, "type", line);
    auto type = op_type_from_string(t);
    if (!type) {
      throw HistoryError(line, "field \"type\" must be invoke, ok, fail or info, not \"" + t + "\"");
    }
    op.type = *type;
  }

  void check_process_rules(const Op& op, std::size_t line) {
    ProcessState& st = processes_[op.process];
    const std::string who = "process " + std::to_string(op.process);
    if (st.crashed) {
      throw HistoryError(line, who + " is used again after an info completion");
    }
    if (op.is_invoke()) {
      if (st.in_flight) {
        throw HistoryError(line, "two invokes in flight on " + who + " (the first on line " +
                                     std::to_string(st.invoke_line) + ")");
      }
      st.in_flight = true;
      st.invoke_line = line;
      st.f = op.f;
      st.key = op.key;
      return;
    }
    if (!st.in_flight) {
      throw HistoryError(line, std::string(to_string(op.type)) + " completion without invoke on " +
                                   who);
    }
    if (op.f != st.f) {
      throw HistoryError(line, "completion f \"" + op.f + "\" differs from its invoke's \"" + st.f +
                                   "\" (line " + std::to_string(st.invoke_line) + ")");
    }
    if (op.key != st.key) {
      throw HistoryError(line, "completion key differs from its invoke's (line " +
                                   std::to_string(st.invoke_line) + ")");
    }
    st.in_flight = false;
    if (op.type == OpType::kInfo) st.crashed = true;
  }

  std::vector<Op>& out_;
  std::unordered_map<std::int64_t, ProcessState> processes_;
};

// `text` must be followed by at least SIMDJSON_PADDING readable bytes.
std::vector<Op> parse_padded(std::string_view text, HistoryReadOptions options) {
  std::vector<Op> ops;
  ops.reserve(text.size() / 96);
  Validator validator(ops);
  simdjson::dom::parser parser;
  std::size_t line = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++line;
    const char* start = text.data() + pos;
    const void* nl = std::memchr(start, '\n', text.size() - pos);
    std::size_t len = nl ? static_cast<const char*>(nl) - start : text.size() - pos;
    pos += len + 1;
    if (len > 0 && start[len - 1] == '\r') --len;  // tolerate CRLF files
    if (len == 0) {
      throw HistoryError(line, "empty line");
    }
    simdjson::dom::element doc;
    auto err = parser.parse(start, len, false).get(doc);
    if (err) {
      if (!nl && options.allow_truncated_last_line) break;
      throw HistoryError(line, std::string("bad JSON: ") + simdjson::error_message(err));
    }
    validator.add(doc, line);
  }
  return ops;
}

}  // namespace

std::vector<Op> parse_history(std::string_view text, HistoryReadOptions options) {
  simdjson::padded_string padded(text);
  return parse_padded(std::string_view(padded.data(), padded.size()), options);
}

std::vector<Op> read_history_file(const std::string& path, HistoryReadOptions options) {
  simdjson::padded_string content;
  auto err = simdjson::padded_string::load(path).get(content);
  if (err) throw std::runtime_error("cannot read history file " + path);
  return parse_padded(std::string_view(content.data(), content.size()), options);
}

}  // namespace redproof
