// The operating system's processes behind a seam (LevelDB's Env habit): local servers and
// sentinels are started, signalled and reaped through a ProcessRunner, so tests can fake it and
// everything that touches fork/exec lives in one file.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace redproof {

// Thrown when a process cannot be started; the message is one line ("redis-server not found on
// PATH", "cannot open /x/log: Permission denied").
class ProcessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ProcessSpec {
  std::string binary;  // a path, or a name looked up on PATH
  std::vector<std::string> args;
  std::string output_path;        // stdout and stderr go here (appended); empty: /dev/null
  std::string working_directory;  // empty: the caller's
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Starts the process in a process group of its own (so the terminal's Ctrl-C reaches only
  // redproof, which then stops its servers in order). Returns its pid. Throws ProcessError.
  virtual int spawn(const ProcessSpec& spec) = 0;
  // Sends `sig`; false when the process no longer exists.
  virtual bool signal(int pid, int sig) = 0;
  // Reaps the process if it has exited within `timeout`: its exit status (the signal number + 128
  // when killed), or nullopt while it still runs.
  virtual std::optional<int> wait(int pid, std::chrono::milliseconds timeout) = 0;
  // The binary's full path, or nullopt when it is not on PATH / not executable.
  virtual std::optional<std::string> find_binary(const std::string& binary) = 0;
};

// The real one (fork/exec). Children started from the main thread die with redproof even when it
// is killed with SIGKILL (PR_SET_PDEATHSIG); `redproof heal` covers the others.
ProcessRunner& system_process_runner();

}  // namespace redproof
