// The capability to act on the servers of a topology, which faults that pause, kill or restart
// servers ask for. Topologies the harness starts itself provide it; `--target` does not.
#pragma once

#include <string>
#include <vector>

#include "redis/endpoint.hpp"

namespace redproof {

class ServerControl {
 public:
  virtual ~ServerControl() = default;
  virtual std::vector<std::string> server_names() const = 0;
  // Throw std::runtime_error naming the server when the action fails.
  virtual void pause_server(const std::string& name) = 0;   // SIGSTOP
  virtual void resume_server(const std::string& name) = 0;  // SIGCONT; idempotent
  virtual void kill_server(const std::string& name) = 0;    // SIGKILL
  virtual void restart_server(const std::string& name) = 0;
  // Where the harness itself reaches the server for control commands (never through a proxy).
  virtual redis::Endpoint server_endpoint(const std::string& name) const = 0;
};

}  // namespace redproof
