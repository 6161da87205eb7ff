#include "redis/error_kind.hpp"

#include <array>

namespace redproof::redis {

bool script_error_proves_not_applied(std::string_view code) {
  // Rejected before the script starts: unknown script, another script busy, loading, no
  // authentication or permission, wrong cluster node, a replica that refuses writes up front
  // (Redis 7 checks flagged scripts before running them).
  static constexpr std::array<std::string_view, 13> kBeforeRun = {
      "NOSCRIPT", "BUSY", "LOADING",     "MASTERDOWN", "NOAUTH",    "WRONGPASS", "NOPERM",
      "MOVED",    "ASK",  "CLUSTERDOWN", "TRYAGAIN",   "CROSSSLOT", "NOREPLICAS"};
  for (auto c : kBeforeRun) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace redproof::redis
