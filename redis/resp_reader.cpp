#include "redis/resp_reader.hpp"

#include <hiredis/hiredis.h>

#include <new>

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

}  // namespace

RespReader::RespReader() : reader_(redisReaderCreate()) {
  if (!reader_) throw std::bad_alloc();
}

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
  reader_ = redisReaderCreate();
  if (!reader_) throw std::bad_alloc();
}

}  // namespace redproof::redis
