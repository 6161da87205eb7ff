// `--target HOST:PORT`: a server the harness did not start. It is checked for an answer at
// setup; faults that need control of the server are refused.
#pragma once

#include "driver/topology/topology.hpp"

namespace redproof {

class ExternalTopology : public Topology {
 public:
  explicit ExternalTopology(redis::Endpoint endpoint) : endpoint_(std::move(endpoint)) {}
  void setup() override;
  void teardown() noexcept override {}
  std::vector<Node> nodes() const override { return {{"target", endpoint_}}; }
  nlohmann::json describe() const override;

 private:
  redis::Endpoint endpoint_;
  std::string version_;
};

// Parses HOST:PORT; throws std::invalid_argument naming the text.
redis::Endpoint parse_endpoint(const std::string& text);

}  // namespace redproof
