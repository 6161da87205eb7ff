#include "workloads/user_script.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/file_limits.hpp"

namespace redproof {

UserScript load_user_script(const std::string& path, const std::string& argv_template) {
  try {
    require_within_limit(path, kMaxScriptBytes, "a Lua script");
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(std::string("--script ") + e.what());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(fmt::format("--script {}: cannot be read", path));
  std::ostringstream text;
  text << in.rdbuf();
  UserScript s{path, text.str(), argv_template};
  if (s.source.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw std::invalid_argument(fmt::format("--script {}: the file is empty", path));
  }
  return s;
}

std::vector<std::string> user_script_argv(const std::string& argv_template,
                                          const std::vector<std::string>& contract_order,
                                          const std::map<std::string, std::string>& ours) {
  std::vector<std::string> out;
  if (argv_template.empty()) {
    for (const auto& name : contract_order) out.push_back(ours.at(name));
    return out;
  }
  std::istringstream words(argv_template);
  std::string word;
  while (words >> word) {
    if (word.size() > 2 && word.front() == '{' && word.back() == '}') {
      const std::string name = word.substr(1, word.size() - 2);
      auto it = ours.find(name);
      if (it == ours.end()) {
        std::string known;
        for (const auto& [k, v] : ours) known += (known.empty() ? "" : ", ") + k;
        throw std::invalid_argument(fmt::format(
            "--script-argv: no argument named {{{}}} (this variant has: {})", name, known));
      }
      out.push_back(it->second);
    } else {
      out.push_back(word);
    }
  }
  return out;
}

std::optional<bool> user_script_decision(const redis::Reply& reply) {
  using Type = redis::Reply::Type;
  if (reply.type == Type::kInteger) return reply.integer > 0;
  if (reply.type == Type::kArray && !reply.elements.empty() &&
      reply.elements.front().type == Type::kInteger) {
    return reply.elements.front().integer > 0;
  }
  return std::nullopt;
}

}  // namespace redproof
