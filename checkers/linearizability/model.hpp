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
  bool known = true;                 // false: info or no completion; the result is unknown
  std::vector<std::int64_t> args;    // interned arguments (cas: expected, new; txn: triples)
  std::vector<std::int64_t> result;  // interned result when known (read value, set members...)
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
