// Model::step_scalar, the search's path for models whose state is one id, gives what
// Model::step gives, for every operation of those models, known and unknown, in every state.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checkers/linearizability/model.hpp"

namespace redproof::linearizability {
namespace {

struct Call {
  const char* f;
  const char* invoke;
  const char* ok;  // the ok value when known
};

void expect_same_steps(ModelKind kind, const std::vector<Call>& calls,
                       const std::vector<std::string>& state_texts, bool raw_states = false) {
  ValueTable values;
  Model model(kind, "", values);
  ASSERT_TRUE(model.scalar());
  std::vector<std::int64_t> states = {model.init()[0]};
  for (const auto& t : state_texts) {
    states.push_back(raw_states ? values.intern("\x01" + t) : values.intern(t));
  }
  if (kind == ModelKind::kCounter || kind == ModelKind::kMutex) states = {0, 1, 2, -3};
  for (const auto& c : calls) {
    for (bool known : {true, false}) {
      const Operation op = model.parse(c.f, c.invoke, known ? c.ok : "", known);
      const ScalarOperation flat = Model::flatten(op);
      for (auto s : states) {
        const auto expected = model.step(State{s}, op);
        std::int64_t out = -99;
        const bool ok = model.step_scalar(s, flat, out);
        ASSERT_EQ(ok, expected.has_value()) << c.f << " " << c.invoke << " known " << known;
        if (ok) {
          ASSERT_EQ(expected->size(), 1u);
          EXPECT_EQ(out, (*expected)[0]) << c.f << " " << c.invoke << " known " << known;
        }
      }
    }
  }
}

TEST(StepScalar, AgreesWithStepForRegisters) {
  const std::vector<Call> calls = {
      {"read", "null", "1"}, {"read", "null", "null"}, {"write", "1", "1"}, {"write", "2", "null"}};
  expect_same_steps(ModelKind::kRegister, calls, {"1", "2", "3"});
  std::vector<Call> cas = calls;
  cas.push_back({"cas", "[1,2]", "[1,2]"});
  cas.push_back({"cas", "[null,3]", "null"});
  cas.push_back({"cas", "[2,2]", "[2,2]"});
  expect_same_steps(ModelKind::kCasRegister, cas, {"1", "2", "3"});
}

TEST(StepScalar, AgreesWithStepForKv) {
  expect_same_steps(ModelKind::kKv,
                    {{"get", "null", "\"ab\""},
                     {"get", "null", "\"\""},
                     {"get", "null", "null"},
                     {"put", "\"a\"", "null"},
                     {"append", "\"b\"", "null"},
                     {"append", "\"\"", "null"}},
                    {"a", "ab", "b"}, true);
}

TEST(StepScalar, AgreesWithStepForCountersAndMutexes) {
  expect_same_steps(ModelKind::kCounter,
                    {{"add", "2", "null"}, {"add", "-1", "null"}, {"read", "null", "1"}}, {});
  expect_same_steps(ModelKind::kMutex, {{"acquire", "null", "null"}, {"release", "null", "null"}},
                    {});
}

TEST(StepScalar, OnlyOneIdModelsAreScalar) {
  ValueTable values;
  for (auto kind : {ModelKind::kSet, ModelKind::kFifoQueue, ModelKind::kMultiRegister}) {
    EXPECT_FALSE(Model(kind, "", values).scalar());
  }
}

}  // namespace
}  // namespace redproof::linearizability
