// Short administrative commands (`ip`, `iptables`) run to completion through the ProcessRunner
// seam, with their output captured, so that what touches the network configuration can be
// tested with a fake runner that records the commands.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/process_runner.hpp"

namespace redproof {

struct CommandOutcome {
  int status = 0;      // exit status; 128 + signal when killed (a time-out kills it)
  std::string output;  // stdout and stderr together, trailing newline removed
  bool ok() const { return status == 0; }
};

// Runs `binary args...`, waits up to `timeout` (then SIGKILL). Throws ProcessError when it
// cannot be started at all.
CommandOutcome run_command(ProcessRunner& runner, const std::string& binary,
                           const std::vector<std::string>& args,
                           std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace redproof
