// Forwarding a chunk allocates nothing once a connection is warm (the proxy's hot path, as the
// house habits ask of every hot path). Counted, not guessed: this file replaces the global
// operator new of the test program with one that counts, and the test compares the count before
// and after many round trips through the proxy. The client side of the round trips allocates
// nothing itself (short strings), and the server is another process.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "faults/proxy/fault_proxy.hpp"
#include "proxy_test_support.hpp"
#include "proxy_upstream.hpp"

namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace redproof::proxy {
namespace {

using namespace testing;

// Allocations made (by any thread of this process) during `n` PING round trips on `c`.
std::uint64_t allocations_during_pings(LoopbackClient& c, int n) {
  std::uint64_t before = allocations.load();
  for (int i = 0; i < n; ++i) {
    if (!c.ping()) {
      ADD_FAILURE() << "ping " << i << " failed";
      break;
    }
  }
  return allocations.load() - before;
}

TEST(FaultProxyAllocation, WarmConnectionForwardsWithoutAllocating) {
  Upstream up;
  FaultProxyOptions o;
  o.upstream = up.endpoint();
  FaultProxy proxy(o);
  proxy.start();
  LoopbackClient c;
  ASSERT_TRUE(c.connect(proxy.endpoint()));
  constexpr int kPings = 2000;
  constexpr int kDelayedPings = 400;  // each waits on the timer: fewer, to keep the test short

  // Warm-up: ring slots, buffers, Asio's handler caches. It does allocate, which also shows that
  // the counter counts.
  EXPECT_GT(allocations_during_pings(c, 200), 0u);
  std::uint64_t plain = allocations_during_pings(c, kPings);

  proxy.add_toxic("latency:100us,stream=up");  // the chunks now wait on the timer path
  allocations_during_pings(c, 200);
  std::uint64_t delayed = allocations_during_pings(c, kDelayedPings);

  std::printf(
      "[ measured ] allocations per forwarded chunk: %.4f without toxics (%llu in %d round "
      "trips), %.4f with latency (%llu in %d)\n",
      static_cast<double>(plain) / (2.0 * kPings), static_cast<unsigned long long>(plain), kPings,
      static_cast<double>(delayed) / (2.0 * kDelayedPings),
      static_cast<unsigned long long>(delayed), kDelayedPings);
  // Two chunks per round trip (request and reply): far fewer allocations than chunks means none
  // on the per-chunk path; a handful may come from elsewhere (the allocator of a clock read).
  EXPECT_LT(plain, static_cast<std::uint64_t>(kPings / 100));
  EXPECT_LT(delayed, static_cast<std::uint64_t>(kDelayedPings / 100));
}

}  // namespace
}  // namespace redproof::proxy
