#include "core/process_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace redproof {

namespace {

bool executable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

class SystemProcessRunner : public ProcessRunner {
 public:
  std::optional<std::string> find_binary(const std::string& binary) override {
    if (binary.find('/') != std::string::npos) {
      if (executable(binary)) return binary;
      return std::nullopt;
    }
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    // Debian puts redis-server in /usr/bin, but sbin-style paths are missing from some shells.
    dirs += ":/usr/sbin:/sbin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
      std::size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::string dir = dirs.substr(start, end - start);
      if (!dir.empty()) {
        std::string candidate = dir + "/" + binary;
        if (executable(candidate)) return candidate;
      }
      start = end + 1;
    }
    return std::nullopt;
  }

  int spawn(const ProcessSpec& spec) override {
    auto path = find_binary(spec.binary);
    if (!path) {
      throw ProcessError(spec.binary.find('/') != std::string::npos
                             ? spec.binary + " not found or not executable"
                             : spec.binary + " not found on PATH");
    }
    int out_fd = ::open(spec.output_path.empty() ? "/dev/null" : spec.output_path.c_str(),
                        O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out_fd < 0) {
      throw ProcessError("cannot open " + spec.output_path + ": " + std::strerror(errno));
    }
    // Everything the child needs is prepared before fork: between fork and exec only
    // async-signal-safe calls are allowed, because other threads may hold locks.
    std::vector<std::string> argv_storage;
    argv_storage.push_back(*path);
    for (const auto& a : spec.args) argv_storage.push_back(a);
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    // PR_SET_PDEATHSIG fires when the *thread* that forked exits, so it is only safe from the
    // main thread (a server restarted by the nemesis thread must outlive that thread).
    const bool main_thread = ::syscall(SYS_gettid) == ::getpid();
    const pid_t parent = ::getpid();
    int status_pipe[2];
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
      ::close(out_fd);
      throw ProcessError(std::string("pipe: ") + std::strerror(errno));
    }
    pid_t pid = ::fork();
    if (pid < 0) {
      int e = errno;
      ::close(out_fd);
      ::close(status_pipe[0]);
      ::close(status_pipe[1]);
      throw ProcessError(std::string("fork: ") + std::strerror(e));
    }
    if (pid == 0) {
      ::setpgid(0, 0);
      if (main_thread) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
      }
      // Signals redproof ignores or blocks must not stay so in the server.
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::signal(SIGPIPE, SIG_DFL);
      ::signal(SIGINT, SIG_DFL);
      ::signal(SIGTERM, SIG_DFL);
      int devnull = ::open("/dev/null", O_RDONLY);
      if (devnull >= 0) ::dup2(devnull, 0);
      ::dup2(out_fd, 1);
      ::dup2(out_fd, 2);
      if (!spec.working_directory.empty() && ::chdir(spec.working_directory.c_str()) != 0) {
        int e = errno;
        (void)!::write(status_pipe[1], &e, sizeof e);
        ::_exit(127);
      }
      ::execv(argv[0], argv.data());
      int e = errno;
      (void)!::write(status_pipe[1], &e, sizeof e);
      ::_exit(127);
    }
    ::close(out_fd);
    ::close(status_pipe[1]);
    int child_errno = 0;
    ssize_t n;
    do {
      n = ::read(status_pipe[0], &child_errno, sizeof child_errno);
    } while (n < 0 && errno == EINTR);
    ::close(status_pipe[0]);
    if (n == static_cast<ssize_t>(sizeof child_errno)) {
      ::waitpid(pid, nullptr, 0);
      throw ProcessError("cannot run " + *path + ": " + std::strerror(child_errno));
    }
    return pid;
  }

  bool signal(int pid, int sig) override { return pid > 0 && ::kill(pid, sig) == 0; }

  std::optional<int> wait(int pid, std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
      int status = 0;
      pid_t r = ::waitpid(pid, &status, WNOHANG);
      if (r == pid) {
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return 0;
      }
      if (r < 0) {
        if (errno == EINTR) continue;
        // Not our child (or already reaped): gone unless it still answers signal 0.
        if (::kill(pid, 0) != 0) return 0;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(20));
    }
  }
};

}  // namespace

ProcessRunner& system_process_runner() {
  static SystemProcessRunner runner;
  return runner;
}

}  // namespace redproof
