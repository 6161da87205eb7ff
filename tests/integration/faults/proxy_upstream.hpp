// The server behind the proxy in its integration tests: a real redis-server on a free loopback
// port (redis::LocalServer), in a temporary directory removed with it. The tests speak inline
// PING and RESP to it exactly as clients do.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

#include "faults/proxy/fault_proxy.hpp"
#include "integration/redis/temp_dir.hpp"
#include "proxy_test_support.hpp"
#include "redis/endpoint.hpp"
#include "redis/local_server.hpp"

namespace redproof::proxy::testing {

class Upstream {
 public:
  Upstream() {
    redis::LocalServerOptions o;
    o.name = "upstream";
    o.directory = dir_.path() + "/upstream";
    server_ = std::make_unique<redis::LocalServer>(o);
    server_->start();
  }
  redis::Endpoint endpoint() const { return server_->endpoint(); }
  std::string kind() const { return "redis-server " + server_->version(); }
  redis::LocalServer& server() { return *server_; }

 private:
  redproof::testing::TempDir dir_;  // outlives the server, which writes its log there
  std::unique_ptr<redis::LocalServer> server_;
};

// A fixture base: a real server with a started FaultProxy in front of it, stopped after the test.
class ProxiedUpstreamTest : public ::testing::Test {
 protected:
  void start_proxy(const std::string& name, std::uint64_t seed) {
    FaultProxyOptions o;
    o.name = name;
    o.upstream = up_.endpoint();
    o.seed = seed;
    proxy_ = std::make_unique<FaultProxy>(o);
    proxy_->start();
  }
  void TearDown() override {
    if (proxy_) proxy_->stop();
  }

  // A fresh connection through the proxy.
  std::unique_ptr<LoopbackClient> connect() {
    auto c = std::make_unique<LoopbackClient>();
    if (!c->connect(proxy_->endpoint())) {
      ADD_FAILURE() << "connect: " << std::strerror(c->last_errno());
    }
    return c;
  }

  Upstream up_;
  std::unique_ptr<FaultProxy> proxy_;
};

}  // namespace redproof::proxy::testing
