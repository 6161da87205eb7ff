#include "driver/topology/target_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <optional>
#include <stdexcept>

namespace redproof {

namespace {

constexpr std::string_view kSentinelScheme = "sentinel://";
constexpr std::string_view kClusterScheme = "cluster://";

// The subnet NamespaceNetwork gives its bridges and namespaces: 10.213.K.0/24.
constexpr unsigned char kNamespaceNet[] = {10, 213};

std::vector<redis::Endpoint> parse_endpoint_list(const std::string& list) {
  std::vector<redis::Endpoint> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = list.find(',', start);
    out.push_back(parse_endpoint(list.substr(start, comma - start)));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

std::optional<boost::asio::ip::address> literal_address(const std::string& host) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  }
  return a;
}

}  // namespace

redis::Endpoint parse_endpoint(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw std::invalid_argument("--target " + text + ": expected HOST:PORT");
  }
  unsigned port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port == 0 || port > 65535) {
    throw std::invalid_argument("--target " + text + ": bad port");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    throw std::invalid_argument("--target " + text +
                                ": an IPv6 address goes in brackets, [::1]:6379");
  }
  redis::Endpoint e;
  e.host = std::move(host);
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

TargetAddress parse_target(const std::string& text) {
  TargetAddress t;
  if (text.starts_with(kSentinelScheme)) {
    const std::string rest = text.substr(kSentinelScheme.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size() ||
        rest.find('/', slash + 1) != std::string::npos) {
      throw std::invalid_argument("--target " + text +
                                  ": expected sentinel://HOST:PORT[,HOST:PORT]/MASTERNAME");
    }
    t.kind = TargetAddress::Kind::kSentinel;
    t.endpoints = parse_endpoint_list(rest.substr(0, slash));
    t.master_name = rest.substr(slash + 1);
    return t;
  }
  if (text.starts_with(kClusterScheme)) {
    const std::string rest = text.substr(kClusterScheme.size());
    if (rest.empty() || rest.find('/') != std::string::npos) {
      throw std::invalid_argument("--target " + text +
                                  ": expected cluster://HOST:PORT[,HOST:PORT]");
    }
    t.kind = TargetAddress::Kind::kCluster;
    t.endpoints = parse_endpoint_list(rest);
    return t;
  }
  if (text.find("://") != std::string::npos) {
    throw std::invalid_argument("--target " + text +
                                ": unknown scheme (HOST:PORT, sentinel://... or cluster://...)");
  }
  t.endpoints = {parse_endpoint(text)};
  return t;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  const auto a = literal_address(host);
  return a && a->is_loopback();
}

bool is_local_host(const std::string& host) {
  if (is_loopback_host(host)) return true;
  const auto a = literal_address(host);
  if (!a || !a->is_v4()) return false;
  const auto bytes = a->to_v4().to_bytes();
  return bytes[0] == kNamespaceNet[0] && bytes[1] == kNamespaceNet[1];
}

const redis::Endpoint* first_remote_endpoint(const TargetAddress& target) {
  for (const auto& e : target.endpoints) {
    if (!is_local_host(e.host)) return &e;
  }
  return nullptr;
}

std::string remote_refusal(const std::string& what) {
  return what +
         " is not loopback or one of redproof's namespaces; refusing to send load and faults "
         "there without --allow-remote";
}

}  // namespace redproof
