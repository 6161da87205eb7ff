// The models of ../shared/spec/history.md as small pure specifications: register, cas-register,
// kv, counter, set, fifo-queue, mutex, multi-register. A state is a short vector of interned
// value ids (hashable, comparable); an operation is parsed once from its invoke and completion.
// `step` is the whole specification: the state after the operation, or nothing when the
// operation cannot happen in that state.
#pragma once

#include <boost/container/small_vector.hpp>

#include "checkers/linearizability/value_table.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace redproof::linearizability {

// A model's state as ids: one for a register, a few for most others. Inline up to two, so that
// stepping a register (what the search does most) allocates nothing.
using State = boost::container::small_vector<std::int64_t, 2>;

struct Operation {
  enum class Kind : std::uint8_t {
    kRead,
    kWrite,
    kCas,
    kGet,
    kPut,
    kAppend,
    kAdd,
    kSetAdd,
    kSetRead,
    kEnqueue,
    kDequeue,
    kAcquire,
    kRelease,
    kTxn
  };
  Kind kind = Kind::kRead;
  bool known = true;  // false: info or no completion; the result is unknown
  // Inline up to two: most operations have one argument or one result, and a history's
  // operations were two allocations each.
  boost::container::small_vector<std::int64_t, 2>
      args;  // interned (cas: expected, new; txn: triples)
  boost::container::small_vector<std::int64_t, 2>
      result;  // interned, when known (read value, set...)
};

// An operation of a model whose state is one id (register, cas-register, kv, counter, mutex),
// flattened so that the search steps it without reaching into vectors.
struct ScalarOperation {
  Operation::Kind kind = Operation::Kind::kRead;
  bool known = true;
  std::int64_t arg0 = 0, arg1 = 0;  // args[0], args[1] when present
  std::int64_t result = 0;          // result[0] when present
};

enum class ModelKind {
  kRegister,
  kCasRegister,
  kKv,
  kCounter,
  kSet,
  kFifoQueue,
  kMutex,
  kMultiRegister
};

// Throws std::invalid_argument listing the models.
ModelKind parse_model(std::string_view name);
std::string_view model_name(ModelKind kind);

class Model {
 public:
  // `init_json`: the initial value (--init), or empty for the model's default.
  Model(ModelKind kind, std::string_view init_json, ValueTable& values);

  // Parses one operation; throws std::invalid_argument naming what does not fit the model.
  Operation parse(std::string_view f, std::string_view invoke_value, std::string_view ok_value,
                  bool known);
  State init() const { return init_; }
  std::optional<State> step(const State& s, const Operation& op) const;
  // An operation of unknown result that cannot change the state (a read) is dropped.
  bool changes_state(const Operation& op) const;
  // True when every state is one id (register, cas-register, kv, counter, mutex): such models
  // can also be stepped by step_scalar, with the same results as step.
  bool scalar() const;
  static ScalarOperation flatten(const Operation& op);
  // step() for a scalar model: false when the operation cannot happen in state `s`, else the
  // state after it in `out`.
  bool step_scalar(std::int64_t s, const ScalarOperation& op, std::int64_t& out) const {
    using K = Operation::Kind;
    switch (op.kind) {
      case K::kRead:
      case K::kGet:
        if (op.known && s != op.result) return false;
        out = s;
        return true;
      case K::kWrite:
      case K::kPut:
        out = op.arg0;
        return true;
      case K::kCas:
        if (s == op.arg0) {
          out = op.arg1;
          return true;
        }
        out = s;  // an unknown cas may have failed its compare: that changed nothing
        return !op.known;
      case K::kAppend:
        out = values_.concat(s, op.arg0);
        return true;
      case K::kAdd:
        out = s + op.arg0;
        return true;
      case K::kAcquire:
        if (s == 0) {
          out = 1;
          return true;
        }
        out = s;  // it would have blocked: as if it never happened
        return !op.known;
      case K::kRelease:
        if (s == 1) {
          out = 0;
          return true;
        }
        out = s;
        return !op.known;
      default:
        return false;
    }
  }
  std::string describe(const State& s) const;
  std::string describe(const Operation& op) const;

 private:
  std::int64_t register_index(std::int64_t name_id);

  ModelKind kind_;
  ValueTable& values_;
  State init_;
  std::vector<std::int64_t> register_names_;  // multi-register: value ids of register names
};

}  // namespace redproof::linearizability
