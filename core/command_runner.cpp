#include "core/command_runner.hpp"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace redproof {

CommandOutcome run_command(ProcessRunner& runner, const std::string& binary,
                           const std::vector<std::string>& args,
                           std::chrono::milliseconds timeout) {
  // The output goes to a private temporary file: ProcessSpec knows files, not pipes, and these
  // commands print a line or two.
  char path[] = "/tmp/redproof-cmd-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) throw ProcessError(std::string("mkstemp: ") + std::strerror(errno));
  ::close(fd);
  CommandOutcome outcome;
  try {
    const int pid = runner.spawn({binary, args, path, {}});
    if (auto status = runner.wait(pid, timeout)) {
      outcome.status = *status;
    } else {
      runner.signal(pid, SIGKILL);
      runner.wait(pid, std::chrono::seconds(5));
      outcome.status = 128 + SIGKILL;
    }
  } catch (...) {
    ::unlink(path);
    throw;
  }
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  ::unlink(path);
  outcome.output = ss.str();
  while (!outcome.output.empty() &&
         (outcome.output.back() == '\n' || outcome.output.back() == '\r')) {
    outcome.output.pop_back();
  }
  return outcome;
}

}  // namespace redproof
