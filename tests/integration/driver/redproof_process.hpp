// Runs the redproof binary as a user would, capturing exit code, stdout and stderr.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace redproof::testing {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts redproof with `args` in the background, its output in scratch/stdout.txt and
// scratch/stderr.txt; returns its pid.
inline pid_t start_redproof(const std::vector<std::string>& args, const std::string& scratch) {
  const std::string out_path = scratch + "/stdout.txt";
  const std::string err_path = scratch + "/stderr.txt";
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv;
    std::string bin = REDPROOF_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// Runs redproof with `args`; if `interrupt_after` is positive, sends `signal` (SIGINT, or
// SIGKILL to kill it outright) after that long.
inline Outcome run_redproof(const std::vector<std::string>& args, const std::string& scratch,
                            std::chrono::milliseconds interrupt_after = {}, int signal = SIGINT) {
  const pid_t pid = start_redproof(args, scratch);
  if (interrupt_after.count() > 0) {
    std::this_thread::sleep_for(interrupt_after);
    kill(pid, signal);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Outcome o;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.out = slurp(scratch + "/stdout.txt");
  o.err = slurp(scratch + "/stderr.txt");
  return o;
}

}  // namespace redproof::testing
