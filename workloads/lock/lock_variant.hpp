// The ways teams build a lock on Redis, as the lock workload's variants (../shared/spec/cli.md).
#pragma once

#include <optional>
#include <string_view>

namespace redproof::lock {

enum class LockVariant {
  kLuaRelease,   // SET NX PX; release by a Lua compare-and-delete (the correct single-node lock)
  kFencing,      // as kLuaRelease, plus a fencing token from INCR that the resource checks
  kRedlock,      // Redlock: SET NX PX on a majority of independent masters within the validity
  kGetDel,       // SET NX PX; release by GET, compare, DEL (broken: not atomic)
  kSetnxExpire,  // SETNX then PEXPIRE (broken: not atomic), released as kLuaRelease
  kWatchdog,     // as kLuaRelease, the lease renewed every ttl/3 while the holder works
};

std::optional<LockVariant> parse_lock_variant(std::string_view name);
std::string_view lock_variant_name(LockVariant v);

}  // namespace redproof::lock
