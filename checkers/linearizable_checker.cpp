#include "checkers/linearizable_checker.hpp"

#include "checkers/linearizability/linearizability_checker.hpp"

namespace redproof {

CheckResult LinearizableChecker::check(const std::vector<Op>& history) {
  linearizability::CheckOptions o;
  o.model = model_;
  o.init_json = init_;
  o.timeout = timeout_;
  auto r = linearizability::check_linearizability(history, o);
  CheckResult out;
  out.valid = r.verdict == linearizability::Verdict::kLinearizable      ? Validity::kValid
              : r.verdict == linearizability::Verdict::kNotLinearizable ? Validity::kInvalid
                                                                        : Validity::kUnknown;
  out.details = linearizability::to_json(r);
  out.details.erase("valid");
  out.details["model"] = model_;
  if (r.failure) out.html = linearizability::linearizability_html_fragment(r);
  return out;
}

}  // namespace redproof
