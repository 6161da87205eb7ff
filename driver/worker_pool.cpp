#include "driver/worker_pool.hpp"

#include <boost/asio/co_spawn.hpp>

namespace redproof {

void WorkerPool::spawn(WorkerEnvironment& env, int workers, load::EventLoops& loops,
                       std::function<void()> on_last_done) {
  running_ = workers;
  for (int w = 0; w < workers; ++w) {
    boost::asio::co_spawn(loops.for_sender(w), run_worker(env, w),
                          [this, &env, on_last_done](std::exception_ptr e) {
                            if (e) {
                              try {
                                std::rethrow_exception(e);
                              } catch (const std::exception& ex) {
                                std::lock_guard lock(mu_);
                                if (failure_.empty()) failure_ = ex.what();
                              }
                              env.state->request_stop();
                            }
                            if (--running_ == 0 && on_last_done) on_last_done();
                          });
  }
}

std::string WorkerPool::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

}  // namespace redproof
