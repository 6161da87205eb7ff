#include "driver/load/command_mix.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/decimal.hpp"
#include "redis/command_encoder.hpp"

namespace redproof::load {

namespace {

constexpr std::string_view kKeyMarker = "__key__";
constexpr std::string_view kDataMarker = "__data__";
// Stands for the key's digits while encoding; found again in the encoded bytes.
const std::string kDigitsPlaceholder(kKeyDigits, '\x01');

}  // namespace

KeyDigits key_digits(std::uint64_t index) {
  KeyDigits digits;
  decimal::write_backwards(digits.data() + kKeyDigits, index, kKeyDigits);
  return digits;
}

std::string key_name(const TemplateOptions& options, std::uint64_t index) {
  const KeyDigits digits = key_digits(index);
  return options.key_prefix + std::string(digits.data(), digits.size());
}

CommandTemplate make_template(std::string_view text, const TemplateOptions& options, double weight,
                              std::string name) {
  std::vector<std::string> args;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) break;
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string word(text.substr(pos, end - pos));
    pos = end;
    // Markers may sit inside a word ("user:__key__").
    std::string expanded;
    for (std::size_t i = 0; i < word.size();) {
      if (word.compare(i, kKeyMarker.size(), kKeyMarker) == 0) {
        expanded += options.key_prefix + kDigitsPlaceholder;
        i += kKeyMarker.size();
      } else if (word.compare(i, kDataMarker.size(), kDataMarker) == 0) {
        expanded += std::string(options.data_size, 'x');
        i += kDataMarker.size();
      } else {
        expanded += word[i++];
      }
    }
    args.push_back(std::move(expanded));
  }
  if (args.empty()) throw std::invalid_argument("--command: empty command");
  CommandTemplate t;
  t.name = name.empty() ? std::string(text) : std::move(name);
  t.weight = weight;
  t.encoded = redis::encode_command(args);
  for (std::size_t at = t.encoded.find(kDigitsPlaceholder); at != std::string::npos;
       at = t.encoded.find(kDigitsPlaceholder, at + kKeyDigits)) {
    t.key_offsets.push_back(at);
    std::memcpy(t.encoded.data() + at, key_digits(0).data(), kKeyDigits);
  }
  return t;
}

CommandTemplate builtin_command(std::string_view name, const TemplateOptions& options,
                                double weight) {
  static const std::pair<std::string_view, std::string_view> kBuiltins[] = {
      {"set", "SET __key__ __data__"},
      {"get", "GET __key__"},
      {"incr", "INCR __key__"},
      {"lpush", "LPUSH __key__ __data__"},
      {"rpush", "RPUSH __key__ __data__"},
      {"lpop", "LPOP __key__"},
      {"sadd", "SADD __key__ __data__"},
      {"hset", "HSET __key__ field __data__"},
      {"zadd", "ZADD __key__ 1 __data__"},
      {"ping", "PING"},
  };
  std::string known;
  for (const auto& [n, text] : kBuiltins) {
    if (n == name) return make_template(text, options, weight, std::string(n));
    known += (known.empty() ? "" : ", ") + std::string(n);
  }
  throw std::invalid_argument("unknown command \"" + std::string(name) + "\" (built in: " + known +
                              "; or give a template with --command)");
}

std::vector<CommandTemplate> parse_mix(std::string_view mix, const TemplateOptions& options) {
  std::vector<CommandTemplate> out;
  std::size_t pos = 0;
  while (pos <= mix.size()) {
    std::size_t end = mix.find(',', pos);
    if (end == std::string_view::npos) end = mix.size();
    std::string_view item = mix.substr(pos, end - pos);
    pos = end + 1;
    if (item.empty()) {
      if (end == mix.size()) break;
      throw std::invalid_argument("--mix: empty entry in \"" + std::string(mix) + "\"");
    }
    double weight = 1;
    auto colon = item.find(':');
    if (colon != std::string_view::npos) {
      std::string w(item.substr(colon + 1));
      std::size_t used = 0;
      try {
        weight = std::stod(w, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != w.size() || !(weight > 0)) {
        throw std::invalid_argument("--mix: weight of \"" + std::string(item) +
                                    "\" must be a positive number");
      }
      item = item.substr(0, colon);
    }
    out.push_back(builtin_command(item, options, weight));
  }
  if (out.empty()) throw std::invalid_argument("--mix: no commands");
  return out;
}

CommandMix::CommandMix(std::vector<CommandTemplate> templates) : templates_(std::move(templates)) {
  if (templates_.empty()) throw std::invalid_argument("no commands to send");
  double sum = 0;
  for (const auto& t : templates_) cumulative_.push_back(sum += t.weight);
  for (auto& c : cumulative_) c /= sum;
}

std::size_t CommandMix::pick(Random& rng) const {
  if (templates_.size() == 1) return 0;
  double u = rng.uniform01();
  auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  return std::min<std::size_t>(it - cumulative_.begin(), templates_.size() - 1);
}

void append_request(std::string& out, const CommandTemplate& t, const KeyDigits& key) {
  const std::size_t base = out.size();
  out.append(t.encoded);
  for (std::size_t off : t.key_offsets)
    std::memcpy(out.data() + base + off, key.data(), kKeyDigits);
}

}  // namespace redproof::load
