// The protocol pieces that do no I/O: the RESP reader, the command encoder, replies, script
// hashes and error classification.
#include <gtest/gtest.h>

#include "redis/command_encoder.hpp"
#include "redis/connection.hpp"
#include "redis/error_kind.hpp"
#include "redis/resp_reader.hpp"

namespace redproof::redis {
namespace {

TEST(CommandEncoder, EncodesBulkStringsWithBinarySafeLengths) {
  EXPECT_EQ(encode_command(command("SET", "k", "v")), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
  std::string binary("a\0b\r\n", 5);
  static const char kExpected[] = "*2\r\n$3\r\nGET\r\n$5\r\na\0b\r\n\r\n";
  EXPECT_EQ(encode_command(command("GET", binary)), std::string(kExpected, sizeof kExpected - 1));
  EXPECT_EQ(encode_command(command("PING", "")), "*2\r\n$4\r\nPING\r\n$0\r\n\r\n");
}

TEST(CommandEncoder, AppendsSeveralCommandsForAPipeline) {
  std::string out;
  append_command(out, command("INCR", "a"));
  append_command(out, command("INCR", "b"));
  EXPECT_EQ(out, "*2\r\n$4\r\nINCR\r\n$1\r\na\r\n*2\r\n$4\r\nINCR\r\n$1\r\nb\r\n");
}

TEST(CommandEncoder, HandlesMoreArgumentsThanTheInlineArray) {
  std::vector<std::string> args{"DEL"};
  for (int i = 0; i < 40; ++i) args.push_back("k" + std::to_string(i));
  std::string out = encode_command(args);
  EXPECT_EQ(out.rfind("*41\r\n", 0), 0u);
  EXPECT_NE(out.find("$3\r\nk39\r\n"), std::string::npos);
}

TEST(RespReader, ParsesEveryReplyType) {
  RespReader r;
  r.feed("+OK\r\n-ERR wrong\r\n:42\r\n$3\r\nabc\r\n$-1\r\n*2\r\n:1\r\n$1\r\nx\r\n*-1\r\n");
  auto ok = r.next();
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->is_status("OK"));
  auto err = r.next();
  EXPECT_TRUE(err->is_error());
  EXPECT_EQ(err->error_code(), "ERR");
  EXPECT_EQ(r.next()->integer, 42);
  auto s = r.next();
  EXPECT_EQ(s->type, Reply::Type::kString);
  EXPECT_EQ(s->str, "abc");
  EXPECT_TRUE(r.next()->is_nil());
  auto arr = r.next();
  ASSERT_EQ(arr->type, Reply::Type::kArray);
  ASSERT_EQ(arr->elements.size(), 2u);
  EXPECT_EQ(arr->elements[1].str, "x");
  EXPECT_TRUE(r.next()->is_nil());
  EXPECT_FALSE(r.next());
}

TEST(RespReader, WaitsForMoreBytesAcrossFeeds) {
  RespReader r;
  r.feed("$5\r\nhel");
  EXPECT_FALSE(r.next());
  r.feed("lo\r");
  EXPECT_FALSE(r.next());
  r.feed("\n");
  auto reply = r.next();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->str, "hello");
}

TEST(RespReader, RejectsBytesThatAreNotResp) {
  RespReader r;
  r.feed("?what\r\n");
  EXPECT_THROW(r.next(), ProtocolError);
  r.reset();
  r.feed(":7\r\n");
  EXPECT_EQ(r.next()->integer, 7);
}

// Found by fuzzing: hiredis 0.14 would allocate the element pointers of any announced count.
TEST(RespReader, RefusesAnArrayCountNoReplyNeeds) {
  RespReader r;
  r.feed("*2000000000\r\n");
  try {
    r.next();
    FAIL() << "an array of 2,000,000,000 elements was accepted";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("more than 16777216 elements"), std::string::npos)
        << e.what();
  }
  r.reset();
  r.feed("*2\r\n:1\r\n:2\r\n");
  EXPECT_EQ(r.next()->elements.size(), 2u);
}

TEST(Reply, IntegerFromIntegerOrNumericString) {
  EXPECT_EQ(Reply::integer_reply(5).as_integer(), 5);
  EXPECT_EQ(Reply::string("-12").as_integer(), -12);
  EXPECT_FALSE(Reply::string("12a").as_integer());
  EXPECT_FALSE(Reply::string("").as_integer());
  EXPECT_FALSE(Reply::nil().as_integer());
}

TEST(Reply, DescribesForMessages) {
  EXPECT_EQ(Reply::nil().describe(), "nil");
  EXPECT_EQ(Reply::error("ERR x").describe(), "(error) ERR x");
  EXPECT_EQ(Reply::status("").describe(), "(empty status)");  // found by fuzzing
  Reply arr;
  arr.type = Reply::Type::kArray;
  arr.elements = {Reply::integer_reply(1), Reply::string("a")};
  EXPECT_EQ(arr.describe(), "[1, \"a\"]");
}

TEST(Script, Sha1MatchesWhatRedisComputes) {
  // redis-cli SCRIPT LOAD "return 1" -> e0e1f9fabfc9d4800c877a703b823ac0578ff8db
  EXPECT_EQ(Script("return 1").sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(Script("").sha1(), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(ErrorKind, OnlyPreExecutionErrorsProveAScriptDidNothing) {
  EXPECT_TRUE(script_error_proves_not_applied("NOSCRIPT"));
  EXPECT_TRUE(script_error_proves_not_applied("BUSY"));
  EXPECT_TRUE(script_error_proves_not_applied("MOVED"));
  EXPECT_FALSE(script_error_proves_not_applied("ERR"));
  EXPECT_FALSE(script_error_proves_not_applied("OOM"));
  EXPECT_FALSE(script_error_proves_not_applied("WRONGTYPE"));
}

}  // namespace
}  // namespace redproof::redis
