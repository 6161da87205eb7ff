#include "redis/command_encoder.hpp"

#include <hiredis/hiredis.h>

#include <new>

namespace redproof::redis {

void append_command(std::string& out, const std::vector<std::string>& args) {
  // Small stack arrays for the common case; hiredis takes argv/argvlen.
  constexpr std::size_t kInline = 16;
  const char* argv_inline[kInline];
  std::size_t len_inline[kInline];
  std::vector<const char*> argv_heap;
  std::vector<std::size_t> len_heap;
  const char** argv = argv_inline;
  std::size_t* lens = len_inline;
  if (args.size() > kInline) {
    argv_heap.resize(args.size());
    len_heap.resize(args.size());
    argv = argv_heap.data();
    lens = len_heap.data();
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    argv[i] = args[i].data();
    lens[i] = args[i].size();
  }
  char* cmd = nullptr;
  int n = redisFormatCommandArgv(&cmd, static_cast<int>(args.size()), argv, lens);
  if (n < 0 || !cmd) throw std::bad_alloc();
  out.append(cmd, static_cast<std::size_t>(n));
  redisFreeCommand(cmd);
}

std::string encode_command(const std::vector<std::string>& args) {
  std::string out;
  append_command(out, args);
  return out;
}

}  // namespace redproof::redis
