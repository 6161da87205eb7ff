// The queue client: enqueue, dequeue, ack and drain for the three variants.
//  - list-brpop: LPUSH; BRPOP (the job leaves Redis as it is taken: at-most-once); ack is the
//    consumer's own bookkeeping; drain lists the queue.
//  - list-blmove: LPUSH; a reaper pass (one script: jobs in any consumer's processing list for
//    longer than the visibility time-out go back to the queue), then BLMOVE into this consumer's
//    processing list and the time it was taken; ack is LREM from the processing list; drain lists
//    the queue and every processing list.
//  - stream: XADD; XAUTOCLAIM of an entry stalled past the visibility time-out, else XREADGROUP;
//    ack is XACK; drain reads what was never delivered and lists every pending entry.
// A consumer's dequeue awaits the after-take hook once it holds a job.
#pragma once

#include <map>
#include <string>

#include "workloads/client.hpp"
#include "workloads/queue/queue_options.hpp"

namespace redproof::queue {

class QueueClient : public Client {
 public:
  QueueClient(const ClientSetup& setup, const QueueOptions& options);
  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  boost::asio::awaitable<Completion> enqueue(const std::string& key, const std::string& id);
  boost::asio::awaitable<Completion> dequeue(const std::string& key);
  boost::asio::awaitable<Completion> ack(const std::string& key, const std::string& id);
  boost::asio::awaitable<Completion> drain(const std::string& key);
  boost::asio::awaitable<Completion> take_list(const std::string& key);
  boost::asio::awaitable<Completion> take_stream(const std::string& key);
  boost::asio::awaitable<redis::Result> stream_exec(const std::string& key,
                                                    std::vector<std::string> args,
                                                    std::chrono::nanoseconds timeout);
  boost::asio::awaitable<Completion> taken(const std::string& id);
  boost::asio::awaitable<Completion> drain_stream(const std::string& key);
  std::chrono::nanoseconds blocking_timeout() const;

  ClientSetup setup_;
  QueueOptions options_;
  redis::Connection connection_;
  std::string consumer_;                        // "c<process>"
  std::map<std::string, std::string> entries_;  // stream: message id -> entry id, held jobs
};

}  // namespace redproof::queue
