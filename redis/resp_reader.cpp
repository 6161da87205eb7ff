#include "redis/resp_reader.hpp"

#include <hiredis/hiredis.h>

#include <new>
#include <string>

namespace redproof::redis {

namespace {

Reply convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default:
      out.type = Reply::Type::kNil;
  }
  return out;
}

// hiredis 0.14 (Debian 12) allocates an array's element pointers as soon as it has read the
// count, so 14 bytes from a broken or hostile server ("*2000000000\r\n") ask for 16 GB (found by
// fuzzing). Later hiredis versions cap the count (maxelements); this does the same, and a larger
// count fails the reply like any malformed one.
constexpr int kMaxArrayElements = 1 << 24;
const redisReplyObjectFunctions* hiredis_functions = nullptr;

void* create_bounded_array(const redisReadTask* task, int elements) {
  if (elements > kMaxArrayElements) {
    *static_cast<bool*>(task->privdata) = true;
    return nullptr;  // the reader reports it as an error
  }
  return hiredis_functions->createArray(task, elements);
}

redisReplyObjectFunctions* bounded_functions() {
  static redisReplyObjectFunctions functions = [] {
    redisReader* probe = redisReaderCreate();
    if (!probe) throw std::bad_alloc();
    hiredis_functions = probe->fn;  // hiredis's own table, a static of the library
    redisReplyObjectFunctions f = *probe->fn;
    redisReaderFree(probe);
    f.createArray = create_bounded_array;
    return f;
  }();
  return &functions;
}

redisReader* create_reader(bool* array_too_large) {
  redisReader* reader = redisReaderCreateWithFunctions(bounded_functions());
  if (!reader) throw std::bad_alloc();
  reader->privdata = array_too_large;
  return reader;
}

}  // namespace

RespReader::RespReader() : reader_(create_reader(&array_too_large_)) {}

RespReader::~RespReader() {
  redisReaderFree(reader_);
}

void RespReader::feed(std::string_view bytes) {
  if (bytes.empty()) return;
  if (redisReaderFeed(reader_, bytes.data(), bytes.size()) != REDIS_OK) {
    throw ProtocolError(std::string("RESP reader: ") + reader_->errstr);
  }
}

std::optional<Reply> RespReader::next() {
  void* raw = nullptr;
  if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
    if (array_too_large_) {
      throw ProtocolError("malformed reply: an array of more than " +
                          std::to_string(kMaxArrayElements) + " elements");
    }
    throw ProtocolError(std::string("malformed reply: ") + reader_->errstr);
  }
  if (!raw) return std::nullopt;
  auto* r = static_cast<redisReply*>(raw);
  Reply out = convert(r);
  freeReplyObject(r);
  return out;
}

void RespReader::reset() {
  redisReaderFree(reader_);
  reader_ = nullptr;
  array_too_large_ = false;
  reader_ = create_reader(&array_too_large_);
}

}  // namespace redproof::redis
