#include "workloads/user_script.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace redproof {
namespace {

using redis::Reply;

TEST(UserScript, ArgvFollowsTheContractWithoutATemplate) {
  EXPECT_EQ(user_script_argv("", {"capacity", "rate", "tokens"},
                             {{"capacity", "10"}, {"rate", "5"}, {"tokens", "1"}}),
            (std::vector<std::string>{"10", "5", "1"}));
}

TEST(UserScript, ATemplateMapsOursOntoTheirs) {
  EXPECT_EQ(user_script_argv("{capacity} {rate} 1 {tokens}", {"capacity", "rate", "tokens"},
                             {{"capacity", "10"}, {"rate", "5"}, {"tokens", "2"}}),
            (std::vector<std::string>{"10", "5", "1", "2"}));
  try {
    user_script_argv("{burst}", {"capacity"}, {{"capacity", "10"}});
    FAIL() << "an unknown name must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--script-argv: no argument named {burst} (this variant has: capacity)");
  }
}

TEST(UserScript, TheDecisionIsAnIntegerOrTheFirstElementOfATable) {
  EXPECT_EQ(user_script_decision(Reply::integer_reply(1)), true);
  EXPECT_EQ(user_script_decision(Reply::integer_reply(0)), false);
  EXPECT_EQ(user_script_decision(Reply::integer_reply(-1)), false);
  Reply table;
  table.type = Reply::Type::kArray;
  table.elements = {Reply::integer_reply(1), Reply::integer_reply(9)};
  EXPECT_EQ(user_script_decision(table), true);
  EXPECT_EQ(user_script_decision(Reply::string("1")), std::nullopt);
  EXPECT_EQ(user_script_decision(Reply::nil()), std::nullopt);
  EXPECT_EQ(user_script_decision(Reply::error("ERR boom")), std::nullopt);
}

TEST(UserScript, UnreadableOrEmptyFilesAreOneLine) {
  EXPECT_THROW(load_user_script("/nonexistent/x.lua", ""), std::invalid_argument);
  const auto empty = std::filesystem::temp_directory_path() / "redproof-empty.lua";
  std::ofstream(empty) << "  \n";
  try {
    load_user_script(empty.string(), "");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "--script " + empty.string() + ": the file is empty");
  }
  std::ofstream(empty) << "return 1";
  EXPECT_EQ(load_user_script(empty.string(), "{a}").source, "return 1");
  std::ofstream(empty) << "--" << std::string(1 << 20, 'x');
  try {
    load_user_script(empty.string(), "");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "--script " + empty.string() +
                                         ": 1048578 bytes, over the 1 MiB limit for a Lua script");
  }
  std::filesystem::remove(empty);
}

}  // namespace
}  // namespace redproof
