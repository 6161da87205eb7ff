#include "core/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace redproof {

namespace fs = std::filesystem;

namespace {

std::runtime_error failure(const char* doing, const std::string& path, int err) {
  return std::runtime_error(std::string("cannot ") + doing + " " + path + ": " +
                            std::strerror(err));
}

// write(2) until all of `content` is written.
bool write_all(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

bool create_private_directory(const std::string& path) {
  // mkdir applies the umask to the mode; chmod afterwards makes it exactly 0700.
  if (::mkdir(path.c_str(), kPrivateDirectoryMode) != 0) {
    if (errno == EEXIST) return false;
    throw failure("create directory", path, errno);
  }
  ::chmod(path.c_str(), kPrivateDirectoryMode);
  return true;
}

void create_private_directories(const std::string& path) {
  fs::path so_far;
  for (const fs::path& part : fs::path(path).lexically_normal()) {
    so_far /= part;
    if (part.empty() || part == "/" || part == "." || part == "..") continue;
    std::error_code ec;
    if (fs::is_directory(so_far, ec)) continue;
    if (!create_private_directory(so_far.string()) && !fs::is_directory(so_far, ec)) {
      throw std::runtime_error("cannot create directory " + so_far.string() +
                               ": a file of that name is in the way");
    }
  }
}

int open_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kPrivateFileMode);
  // A file that existed keeps its mode through O_CREAT: made private here too.
  if (fd >= 0) ::fchmod(fd, kPrivateFileMode);
  return fd;
}

void write_private_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  const int fd = open_private_file(tmp);
  if (fd < 0) throw failure("write", tmp, errno);
  const bool written = write_all(fd, content);
  const int err = errno;
  ::close(fd);
  if (!written) {
    ::unlink(tmp.c_str());
    throw failure("write", tmp, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    ::unlink(tmp.c_str());
    throw failure("write", path, rename_err);
  }
}

}  // namespace redproof
