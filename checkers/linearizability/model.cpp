#include "checkers/linearizability/model.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace redproof::linearizability {

namespace {

using json = nlohmann::json;

json parse_json(std::string_view text, const char* what) {
  if (text.empty()) return nullptr;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw std::invalid_argument(std::string(what) + " is not JSON");
  return j;
}

// Strings built by kv appends are interned apart from JSON texts.
std::string raw(std::string_view s) {
  return "\x01" + std::string(s);
}

// A JSON string with no escapes: its content.
bool plain_string(std::string_view t, std::string& out) {
  if (t.size() < 2 || t.front() != '"' || t.back() != '"') return false;
  std::string_view body = t.substr(1, t.size() - 2);
  if (body.find_first_of("\\\"") != std::string_view::npos) return false;
  out.assign(body);
  return true;
}

// null, a plain string, or an integer written as dump() writes it.
bool plain_scalar(std::string_view t) {
  if (t == "null") return true;
  std::string ignored;
  if (plain_string(t, ignored)) return true;
  std::size_t i = t.size() > 1 && t[0] == '-' ? 1 : 0;
  if (i == t.size() || t == "-0" || (t[i] == '0' && t.size() > i + 1)) return false;
  for (; i < t.size(); ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  return true;
}

}  // namespace

ModelKind parse_model(std::string_view name) {
  static const std::pair<std::string_view, ModelKind> kModels[] = {
      {"register", ModelKind::kRegister},
      {"cas-register", ModelKind::kCasRegister},
      {"kv", ModelKind::kKv},
      {"counter", ModelKind::kCounter},
      {"set", ModelKind::kSet},
      {"fifo-queue", ModelKind::kFifoQueue},
      {"mutex", ModelKind::kMutex},
      {"multi-register", ModelKind::kMultiRegister}};
  std::string known;
  for (auto [n, k] : kModels) {
    if (n == name) return k;
    known += (known.empty() ? "" : ", ") + std::string(n);
  }
  throw std::invalid_argument("unknown model \"" + std::string(name) + "\" (models: " + known +
                              ")");
}

std::string_view model_name(ModelKind kind) {
  switch (kind) {
    case ModelKind::kRegister:
      return "register";
    case ModelKind::kCasRegister:
      return "cas-register";
    case ModelKind::kKv:
      return "kv";
    case ModelKind::kCounter:
      return "counter";
    case ModelKind::kSet:
      return "set";
    case ModelKind::kFifoQueue:
      return "fifo-queue";
    case ModelKind::kMutex:
      return "mutex";
    case ModelKind::kMultiRegister:
      return "multi-register";
  }
  return "?";
}

Model::Model(ModelKind kind, std::string_view init_json, ValueTable& values)
    : kind_(kind), values_(values) {
  json init = parse_json(init_json, "--init");
  switch (kind) {
    case ModelKind::kRegister:
    case ModelKind::kCasRegister:
      init_ = {values_.intern(init.dump())};
      break;
    case ModelKind::kKv:
      if (!init.is_null() && !init.is_string()) {
        throw std::invalid_argument("kv: --init must be a string");
      }
      init_ = {values_.intern(raw(init.is_string() ? init.get<std::string>() : ""))};
      break;
    case ModelKind::kCounter:
      if (!init.is_null() && !init.is_number_integer()) {
        throw std::invalid_argument("counter: --init must be an integer");
      }
      init_ = {init.is_null() ? 0 : init.get<std::int64_t>()};
      break;
    case ModelKind::kSet:
    case ModelKind::kFifoQueue:
      if (init.is_array()) {
        for (const auto& e : init) init_.push_back(values_.intern(e.dump()));
        if (kind == ModelKind::kSet) std::sort(init_.begin(), init_.end());
      } else if (!init.is_null()) {
        throw std::invalid_argument(std::string(model_name(kind)) + ": --init must be a list");
      }
      break;
    case ModelKind::kMutex:
      init_ = {init.is_boolean() && init.get<bool>() ? 1 : 0};
      break;
    case ModelKind::kMultiRegister:
      if (init.is_object()) {
        for (auto& [k, v] : init.items()) {
          const auto at = register_index(values_.intern(json(k).dump()));
          init_[static_cast<std::size_t>(at)] = values_.intern(v.dump());
        }
      } else if (!init.is_null()) {
        throw std::invalid_argument("multi-register: --init must be an object");
      }
      break;
  }
}

std::int64_t Model::register_index(std::int64_t name_id) {
  auto it = std::find(register_names_.begin(), register_names_.end(), name_id);
  if (it != register_names_.end()) return it - register_names_.begin();
  register_names_.push_back(name_id);
  init_.push_back(0);  // a register not given an initial value starts absent
  return static_cast<std::int64_t>(register_names_.size()) - 1;
}

Operation Model::parse(std::string_view f, std::string_view invoke_value, std::string_view ok_value,
                       bool known) {
  using K = Operation::Kind;
  Operation op;
  op.known = known;
  // Fast path for the common values: the reader hands values over as minified JSON, so null,
  // integers and strings without escapes are already in the form dump() would give, and need
  // no tree (on a 200,000-operation history this is most of the parsing cost).
  if (kind_ == ModelKind::kKv) {
    std::string s;
    if (f == "get" && (!known || ok_value.empty() || ok_value == "null")) {
      op.kind = K::kGet;
      op.result = {values_.intern(raw(""))};
      return op;
    }
    if (f == "get" && plain_string(ok_value, s)) {
      op.kind = K::kGet;
      op.result = {values_.intern(raw(s))};
      return op;
    }
    if ((f == "put" || f == "append") && plain_string(invoke_value, s)) {
      op.kind = f == "put" ? K::kPut : K::kAppend;
      op.args = {values_.intern(raw(s))};
      return op;
    }
  } else if (kind_ == ModelKind::kRegister || kind_ == ModelKind::kCasRegister) {
    if (f == "read" && (!known || plain_scalar(ok_value))) {
      op.kind = K::kRead;
      op.result = {values_.intern(known && !ok_value.empty() ? std::string(ok_value) : "null")};
      return op;
    }
    if (f == "write" && plain_scalar(invoke_value)) {
      op.kind = K::kWrite;
      op.args = {values_.intern(std::string(invoke_value))};
      return op;
    }
  }
  json in = parse_json(invoke_value, "invoke value");
  json out = known ? parse_json(ok_value, "ok value") : json(nullptr);
  auto bad = [&](const std::string& why) {
    return std::invalid_argument(std::string(model_name(kind_)) + ": " + std::string(f) + " " +
                                 why);
  };
  auto id = [&](const json& v) { return values_.intern(v.dump()); };
  switch (kind_) {
    case ModelKind::kRegister:
    case ModelKind::kCasRegister:
      if (f == "read") {
        op.kind = K::kRead;
        op.result = {id(out)};
      } else if (f == "write") {
        op.kind = K::kWrite;
        op.args = {id(in)};
      } else if (f == "cas" && kind_ == ModelKind::kCasRegister) {
        if (!in.is_array() || in.size() != 2) throw bad("value must be [expected, new]");
        op.kind = K::kCas;
        op.args = {id(in[0]), id(in[1])};
      } else {
        throw bad("is not an operation of this model");
      }
      break;
    case ModelKind::kKv:
      if (f == "get") {
        op.kind = K::kGet;
        if (known && !out.is_string() && !out.is_null()) throw bad("must return a string");
        op.result = {values_.intern(raw(out.is_string() ? out.get<std::string>() : ""))};
      } else if (f == "put" || f == "append") {
        if (!in.is_string()) throw bad("value must be a string");
        op.kind = f == "put" ? K::kPut : K::kAppend;
        op.args = {values_.intern(raw(in.get<std::string>()))};
      } else {
        throw bad("is not an operation of this model");
      }
      break;
    case ModelKind::kCounter:
      if (f == "add") {
        if (!in.is_number_integer()) throw bad("value must be an integer");
        op.kind = K::kAdd;
        op.args = {in.get<std::int64_t>()};
      } else if (f == "read") {
        if (known && !out.is_number_integer()) throw bad("must return an integer");
        op.kind = K::kRead;
        op.result = {known ? out.get<std::int64_t>() : 0};
      } else {
        throw bad("is not an operation of this model");
      }
      break;
    case ModelKind::kSet:
      if (f == "add") {
        op.kind = K::kSetAdd;
        op.args = {id(in)};
      } else if (f == "read") {
        op.kind = K::kSetRead;
        if (known) {
          if (!out.is_array()) throw bad("must return a list");
          for (const auto& e : out) op.result.push_back(id(e));
          std::sort(op.result.begin(), op.result.end());
          op.result.erase(std::unique(op.result.begin(), op.result.end()), op.result.end());
        }
      } else {
        throw bad("is not an operation of this model");
      }
      break;
    case ModelKind::kFifoQueue:
      if (f == "enqueue") {
        op.kind = K::kEnqueue;
        op.args = {id(in)};
      } else if (f == "dequeue") {
        op.kind = K::kDequeue;
        op.result = {id(out)};
      } else {
        throw bad("is not an operation of this model");
      }
      break;
    case ModelKind::kMutex:
      if (f == "acquire") {
        op.kind = K::kAcquire;
      } else if (f == "release") {
        op.kind = K::kRelease;
      } else {
        throw bad("is not an operation of this model");
      }
      break;
    case ModelKind::kMultiRegister: {
      if (f != "txn") throw bad("is not an operation of this model");
      if (!in.is_array()) throw bad("value must be a list of [f, k, v]");
      const json& done = known && out.is_array() ? out : in;
      if (done.size() != in.size()) throw bad("completion lists a different number of steps");
      op.kind = K::kTxn;
      for (std::size_t i = 0; i < in.size(); ++i) {
        const json& step = in[i];
        if (!step.is_array() || step.size() != 3 || !step[0].is_string()) {
          throw bad("step " + std::to_string(i) + " is not [f, k, v]");
        }
        const bool is_write = step[0] == "write";
        if (!is_write && step[0] != "read") throw bad("step f must be read or write");
        op.args.push_back(is_write ? 1 : 0);
        op.args.push_back(register_index(id(step[1])));
        const json& v = is_write ? step[2] : done[i].at(2);
        op.args.push_back(id(v));
      }
      break;
    }
  }
  return op;
}

bool Model::changes_state(const Operation& op) const {
  using K = Operation::Kind;
  switch (op.kind) {
    case K::kRead:
    case K::kGet:
    case K::kSetRead:
      return false;
    case K::kTxn:
      for (std::size_t i = 0; i < op.args.size(); i += 3) {
        if (op.args[i] == 1) return true;
      }
      return false;
    default:
      return true;
  }
}

bool Model::scalar() const {
  switch (kind_) {
    case ModelKind::kRegister:
    case ModelKind::kCasRegister:
    case ModelKind::kKv:
    case ModelKind::kCounter:
    case ModelKind::kMutex:
      return true;
    default:
      return false;
  }
}

ScalarOperation Model::flatten(const Operation& op) {
  ScalarOperation s;
  s.kind = op.kind;
  s.known = op.known;
  if (!op.args.empty()) s.arg0 = op.args[0];
  if (op.args.size() > 1) s.arg1 = op.args[1];
  if (!op.result.empty()) s.result = op.result[0];
  return s;
}

std::optional<State> Model::step(const State& s, const Operation& op) const {
  using K = Operation::Kind;
  switch (op.kind) {
    case K::kRead:
      if (kind_ == ModelKind::kCounter) {
        if (op.known && s[0] != op.result[0]) return std::nullopt;
        return s;
      }
      if (op.known && s[0] != op.result[0]) return std::nullopt;
      return s;
    case K::kWrite:
    case K::kPut:
      return State{op.args[0]};
    case K::kCas:
      if (s[0] == op.args[0]) return State{op.args[1]};
      // A cas whose outcome is unknown may have failed its compare: that changed nothing.
      if (!op.known) return s;
      return std::nullopt;
    case K::kGet:
      if (op.known && s[0] != op.result[0]) return std::nullopt;
      return s;
    case K::kAppend:
      return State{values_.concat(s[0], op.args[0])};
    case K::kAdd:
      return State{s[0] + op.args[0]};
    case K::kSetAdd: {
      State n = s;
      auto it = std::lower_bound(n.begin(), n.end(), op.args[0]);
      if (it == n.end() || *it != op.args[0]) n.insert(it, op.args[0]);
      return n;
    }
    case K::kSetRead:
      if (op.known && !std::equal(s.begin(), s.end(), op.result.begin(), op.result.end())) {
        return std::nullopt;
      }
      return s;
    case K::kEnqueue: {
      State n = s;
      n.push_back(op.args[0]);
      return n;
    }
    case K::kDequeue:
      if (s.empty()) {
        if (!op.known || op.result[0] == 0) return s;
        return std::nullopt;
      }
      if (op.known && s.front() != op.result[0]) return std::nullopt;
      return State(s.begin() + 1, s.end());
    case K::kAcquire:
      if (s[0] == 0) return State{1};
      if (!op.known) return s;  // it would have blocked: as if it never happened
      return std::nullopt;
    case K::kRelease:
      if (s[0] == 1) return State{0};
      if (!op.known) return s;
      return std::nullopt;
    case K::kTxn: {
      State n = s;
      for (std::size_t i = 0; i < op.args.size(); i += 3) {
        const auto reg = static_cast<std::size_t>(op.args[i + 1]);
        if (op.args[i] == 1) {
          n[reg] = op.args[i + 2];
        } else if (op.known && n[reg] != op.args[i + 2]) {
          return std::nullopt;
        }
      }
      return n;
    }
  }
  return std::nullopt;
}

std::string Model::describe(const State& s) const {
  auto text = [&](std::int64_t id) {
    const std::string& t = values_.text(id);
    return !t.empty() && t[0] == '\x01' ? json(t.substr(1)).dump() : t;
  };
  switch (kind_) {
    case ModelKind::kCounter:
      return std::to_string(s[0]);
    case ModelKind::kMutex:
      return s[0] ? "held" : "free";
    case ModelKind::kRegister:
    case ModelKind::kCasRegister:
    case ModelKind::kKv:
      return text(s[0]);
    case ModelKind::kMultiRegister: {
      std::string out = "{";
      for (std::size_t i = 0; i < s.size(); ++i) {
        out += (i ? "," : "") + text(register_names_[i]) + ":" + text(s[i]);
      }
      return out + "}";
    }
    default: {
      std::string out = "[";
      for (std::size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + text(s[i]);
      return out + "]";
    }
  }
}

std::string Model::describe(const Operation& op) const {
  return std::to_string(static_cast<int>(op.kind));
}

}  // namespace redproof::linearizability
