// This process's CPU time from the OS (getrusage: every thread, user and system), so that a run
// or a benchmark can say what the harness itself cost per operation.
#pragma once

namespace redproof {

struct CpuTime {
  double user_seconds = 0;
  double system_seconds = 0;

  double total() const { return user_seconds + system_seconds; }
  CpuTime operator-(const CpuTime& earlier) const {
    return {user_seconds - earlier.user_seconds, system_seconds - earlier.system_seconds};
  }
};

CpuTime process_cpu_time();

}  // namespace redproof
