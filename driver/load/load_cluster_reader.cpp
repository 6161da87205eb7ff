#include "driver/load/load_cluster_reader.hpp"

#include <cstdint>

namespace redproof::load {

namespace {

// A reply that is only its type is the type's number cast to a pointer (what hiredis returns
// without reply functions); no allocation lies that low.
constexpr std::uintptr_t kLargestType = 255;

struct KeptError {
  int type;
  std::string text;
};

bool is_kept(void* reply) {
  return reinterpret_cast<std::uintptr_t>(reply) > kLargestType;
}

void* create_string(const redisReadTask* task, char* str, size_t len) {
  if (task->type == REDIS_REPLY_ERROR && task->parent == nullptr) {
    return new KeptError{task->type, std::string(str, len)};
  }
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(task->type));
}

void free_object(void* reply) {
  if (is_kept(reply)) delete static_cast<KeptError*>(reply);
}

// Only strings (errors among them) get a function: hiredis returns the type for the others.
const redisReplyObjectFunctions kFunctions = {
    create_string, nullptr, nullptr, nullptr, free_object,
};

}  // namespace

redisReader* create_cluster_reader() {
  return redisReaderCreateWithFunctions(const_cast<redisReplyObjectFunctions*>(&kFunctions));
}

int cluster_reply_type(void* reply) {
  if (is_kept(reply)) return static_cast<KeptError*>(reply)->type;
  return static_cast<int>(reinterpret_cast<std::uintptr_t>(reply));
}

const std::string* kept_error_text(void* reply) {
  return is_kept(reply) ? &static_cast<KeptError*>(reply)->text : nullptr;
}

void release_cluster_reply(void* reply) {
  free_object(reply);
}

}  // namespace redproof::load
