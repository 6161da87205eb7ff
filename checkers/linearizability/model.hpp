// The models of ../shared/spec/history.md as small pure specifications: register, cas-register,
// kv, counter, set, fifo-queue, mutex, multi-register. A state is a short vector of interned
// value ids (hashable, comparable); an operation is parsed once from its invoke and completion.
// `step` is the whole specification: the state after the operation, or nothing when the
// operation cannot happen in that state.
#pragma once

#include <boost/container/small_vector.hpp>

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

// Interns JSON value texts (and strings built by appends) as small ids; id 0 is null.
class ValueTable {
 public:
  ValueTable() { intern("null"); }
  std::int64_t intern(const std::string& text);
  const std::string& text(std::int64_t id) const { return texts_[static_cast<std::size_t>(id)]; }
  // The id of kv-append string `a` followed by the content of append argument `b` (both raw
  // strings). Memoised by id pair: the search applies the same append to the same state many
  // times, and building and hashing a long string each time was most of a kv check's cost.
  std::int64_t concat(std::int64_t a, std::int64_t b);

 private:
  std::unordered_map<std::string, std::int64_t> ids_;
  std::unordered_map<std::uint64_t, std::int64_t> concatenations_;
  std::vector<std::string> texts_;
};

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
