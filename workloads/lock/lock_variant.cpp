#include "workloads/lock/lock_variant.hpp"

namespace redproof::lock {

std::optional<LockVariant> parse_lock_variant(std::string_view name) {
  if (name == "lua-release") return LockVariant::kLuaRelease;
  if (name == "fencing") return LockVariant::kFencing;
  if (name == "redlock") return LockVariant::kRedlock;
  if (name == "get-del") return LockVariant::kGetDel;
  if (name == "setnx-expire") return LockVariant::kSetnxExpire;
  if (name == "watchdog") return LockVariant::kWatchdog;
  return std::nullopt;
}

std::string_view lock_variant_name(LockVariant v) {
  switch (v) {
    case LockVariant::kLuaRelease:
      return "lua-release";
    case LockVariant::kFencing:
      return "fencing";
    case LockVariant::kRedlock:
      return "redlock";
    case LockVariant::kGetDel:
      return "get-del";
    case LockVariant::kSetnxExpire:
      return "setnx-expire";
    case LockVariant::kWatchdog:
      return "watchdog";
  }
  return "?";
}

}  // namespace redproof::lock
