#include "checkers/checker.hpp"

#include "core/exit_codes.hpp"

namespace redproof {

nlohmann::json validity_json(Validity v) {
  switch (v) {
    case Validity::kValid:
      return true;
    case Validity::kInvalid:
      return false;
    case Validity::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view validity_name(Validity v) {
  switch (v) {
    case Validity::kValid:
      return "valid";
    case Validity::kInvalid:
      return "invalid";
    case Validity::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Validity merge_validity(Validity a, Validity b) {
  if (a == Validity::kInvalid || b == Validity::kInvalid) return Validity::kInvalid;
  if (a == Validity::kUnknown || b == Validity::kUnknown) return Validity::kUnknown;
  return Validity::kValid;
}

int exit_code_for(Validity v) {
  switch (v) {
    case Validity::kValid:
      return kExitValid;
    case Validity::kInvalid:
      return kExitInvalid;
    case Validity::kUnknown:
      return kExitUnknown;
  }
  return kExitUnknown;
}

CheckResult run_checker(Checker& checker, const std::vector<Op>& history) {
  try {
    return checker.check(history);
  } catch (const std::exception& e) {
    CheckResult r;
    r.valid = Validity::kUnknown;
    r.details["error"] = std::string("checker failed: ") + e.what();
    return r;
  }
}

}  // namespace redproof
