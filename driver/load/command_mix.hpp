// The requests a benchmark sends: built-in commands ("set", "get", "incr", ...) and templates
// ("SET __key__ __data__"), mixed by weight ("set:1,get:10").
//
// Each template is encoded once with hiredis's formatter, with the key written as a fixed-width
// number (as redis-benchmark does); a request is then a copy of those bytes with the key's digits
// patched in place, so the hot path neither allocates nor formats.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"

namespace redproof::load {

struct TemplateOptions {
  std::string key_prefix = "key:";
  std::size_t data_size = 3;  // bytes of __data__
};

struct CommandTemplate {
  std::string name;                      // "set", or the template text
  std::string encoded;                   // RESP, with key digits to patch
  std::vector<std::size_t> key_offsets;  // where each __key__'s digits start in `encoded`
  double weight = 1;
};

inline constexpr std::size_t kKeyDigits = 12;
// A key number's fixed-width digits, made once per request: the request and both of its
// history lines copy them.
using KeyDigits = std::array<char, kKeyDigits>;
KeyDigits key_digits(std::uint64_t index);

// A template: words separated by spaces; __key__ is replaced by prefix + a 12-digit key number,
// __data__ by data_size bytes. Throws std::invalid_argument on an empty template.
CommandTemplate make_template(std::string_view text, const TemplateOptions& options,
                              double weight = 1, std::string name = {});

// "set", "get", "incr", "lpush", "rpush", "lpop", "sadd", "hset", "zadd", "ping" ->
// the template; throws std::invalid_argument listing the known ones.
CommandTemplate builtin_command(std::string_view name, const TemplateOptions& options,
                                double weight = 1);

// "set:1,get:10" (a bare name has weight 1). Throws std::invalid_argument.
std::vector<CommandTemplate> parse_mix(std::string_view mix, const TemplateOptions& options);

// Picks templates by weight; one draw per request, no allocation.
class CommandMix {
 public:
  explicit CommandMix(std::vector<CommandTemplate> templates);
  std::size_t pick(Random& rng) const;
  const CommandTemplate& at(std::size_t i) const { return templates_[i]; }
  std::size_t size() const { return templates_.size(); }

 private:
  std::vector<CommandTemplate> templates_;
  std::vector<double> cumulative_;
};

// The key's text for key number `index` (for histories and messages).
std::string key_name(const TemplateOptions& options, std::uint64_t index);

// Appends template `t` for the key with these digits to `out`.
void append_request(std::string& out, const CommandTemplate& t, const KeyDigits& key);

}  // namespace redproof::load
