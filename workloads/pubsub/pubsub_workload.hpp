// `pubsub`: publishers and subscribers on several channels. Subscribers hold a subscription for
// a while, recording each message as it arrives, then unsubscribe; optional slow subscribers
// stall after subscribing, and the server cuts them off through the pubsub output-buffer limit
// the workload sets. Checked by `pubsub` (lost-while-subscribed; missed-before-subscribe).
#pragma once

#include "workloads/workload.hpp"

namespace redproof::pubsub {

WorkloadInfo pubsub_workload_info();

}  // namespace redproof::pubsub
