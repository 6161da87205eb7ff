// Every file input is refused with one line when it is too large or not a file; what redproof
// writes for a run is readable by its owner only.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/file_limits.hpp"
#include "core/history_reader.hpp"
#include "core/private_files.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

class FileLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("redproof-limits-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    old_umask_ = ::umask(0);  // modes must not depend on the caller's umask
  }
  void TearDown() override {
    ::umask(old_umask_);
    fs::remove_all(dir_);
  }
  static unsigned mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
  }
  fs::path dir_;
  mode_t old_umask_ = 0;
};

TEST_F(FileLimits, SizesAreSpelledAsTheREADMESpellsThem) {
  EXPECT_EQ(size_text(kMaxHistoryFileBytes), "4 GiB");
  EXPECT_EQ(size_text(kMaxSuitePlanBytes), "1 MiB");
  EXPECT_EQ(size_text(kMaxScriptBytes), "1 MiB");
  EXPECT_EQ(size_text(kMaxRunJsonBytes), "64 MiB");
  EXPECT_EQ(size_text(1536), "1536 bytes");
}

TEST_F(FileLimits, AFileOverItsLimitIsOneLineNamingItTheSizeAndTheLimit) {
  const fs::path p = dir_ / "plan.json";
  std::ofstream(p) << std::string(1025, 'x');
  EXPECT_NO_THROW(require_within_limit(p.string(), 1025, "a suite plan"));
  try {
    require_within_limit(p.string(), 1024, "a suite plan");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              p.string() + ": 1025 bytes, over the 1 KiB limit for a suite plan");
  }
}

TEST_F(FileLimits, ADeviceIsRefusedAndAMissingFileIsLeftToItsReader) {
  try {
    require_within_limit("/dev/zero", kMaxScriptBytes, "a Lua script");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "/dev/zero: not a regular file (expected a Lua script)");
  }
  EXPECT_NO_THROW(require_within_limit((dir_ / "missing").string(), 1, "a suite plan"));
  // The history reader applies its limit: a device is one line, not an endless read.
  EXPECT_THROW(read_history_file("/dev/zero"), std::runtime_error);
}

TEST_F(FileLimits, PrivateDirectoriesAre0700AndExistingOnesKeepTheirMode) {
  fs::create_directories(dir_ / "mine");
  fs::permissions(dir_ / "mine", fs::perms(0755));
  create_private_directories((dir_ / "mine" / "a" / "b").string());
  EXPECT_EQ(mode_of(dir_ / "mine"), 0755u);
  EXPECT_EQ(mode_of(dir_ / "mine" / "a"), 0700u);
  EXPECT_EQ(mode_of(dir_ / "mine" / "a" / "b"), 0700u);
  EXPECT_FALSE(create_private_directory((dir_ / "mine" / "a").string()));
  EXPECT_TRUE(create_private_directory((dir_ / "mine" / "c").string()));
  std::ofstream(dir_ / "file");
  EXPECT_THROW(create_private_directories((dir_ / "file" / "x").string()), std::runtime_error);
}

TEST_F(FileLimits, PrivateFilesAre0600EvenWhenTheyExistedWithAnotherMode) {
  const fs::path p = dir_ / "results.json";
  std::ofstream(p) << "old";
  fs::permissions(p, fs::perms(0644));
  write_private_file_atomically(p.string(), "{}\n");
  EXPECT_EQ(mode_of(p), 0600u);
  std::ifstream in(p);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "{}\n");
  const fs::path log = dir_ / "redproof.log";
  std::ofstream(log) << "old";
  fs::permissions(log, fs::perms(0666));
  const int fd = open_private_file(log.string());
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_EQ(mode_of(log), 0600u);
  EXPECT_EQ(fs::file_size(log), 0u);
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
}

TEST_F(FileLimits, AnUnwritablePlaceIsOneLineNamingIt) {
  try {
    write_private_file_atomically("/nonexistent-dir/results.json", "{}");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/results.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace redproof
