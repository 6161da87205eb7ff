// `session`: web sessions kept as hashes with a sliding TTL. Login writes the hash and its TTL
// in one MULTI/EXEC, each refresh (from any of several web servers, the processes) reads it and
// pushes the TTL back, logout deletes it. Checked by `session` (resurrected-session,
// forced-logout).
#pragma once

#include "workloads/workload.hpp"

namespace redproof::session {

WorkloadInfo session_workload_info();

}  // namespace redproof::session
