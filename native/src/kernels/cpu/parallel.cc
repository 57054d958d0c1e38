#include "parallel.h"

#include <sched.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#if defined(__x86_64__)
#include <immintrin.h>
#define TENSILE_PAUSE() _mm_pause()
#else
#define TENSILE_PAUSE() std::this_thread::yield()
#endif

namespace tensile::cpu {

namespace {

constexpr int kMaxHelpers = 63;

int cpus_available() noexcept {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  const unsigned n = std::thread::hardware_concurrency();
  return n ? int(n) : 1;
}

std::atomic<int> g_threads{cpus_available()};

struct Job {
  void (*body)(void*, size_t);
  void* ctx;
  size_t chunks;
  int helpers;                  // helpers with a smaller index join this job; the others leave it alone
  std::atomic<size_t> next{0};  // the next unclaimed chunk
  std::atomic<size_t> done{0};  // chunks finished
  // Claim and run chunks until none is left.
  void work() noexcept {
    for (size_t c; (c = next.fetch_add(1)) < chunks;) {
      body(ctx, c);
      done.fetch_add(1, std::memory_order_release);
    }
  }
};

class Pool {
 public:
  // Never destroyed: the threads outlive static destruction at exit (a joinable std::thread would terminate).
  static Pool& instance() noexcept {
    static Pool* p = new Pool();
    return *p;
  }

  void run(Job& job) noexcept {
    std::unique_lock<std::mutex> mine(busy_, std::try_to_lock);
    if (!mine.owns_lock()) {  // another JS thread (a worker_thread) is using the pool: go alone
      job.work();
      return;
    }
    start(job.helpers);
    if (job.helpers > started_) job.helpers = started_;
    if (job.helpers == 0) {  // no thread could be started (a process at its thread limit): work alone
      job.work();
      return;
    }
    job_.store(&job);
    posted_.fetch_add(1);
    if (sleepers_.load() != 0) {
      std::lock_guard<std::mutex> l(mu_);
      cv_.notify_all();
    }
    job.work();
    // Spin briefly, then yield: on a loaded machine the helper holding the last chunk may be waiting for a CPU,
    // perhaps this one.
    const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(20);
    while (job.done.load(std::memory_order_acquire) < job.chunks) {
      if (std::chrono::steady_clock::now() < spin_until) TENSILE_PAUSE();
      else std::this_thread::yield();
    }
    // A helper may still be between reading job_ and finding no chunk left: wait until none holds `job`.
    // seq_cst: either a helper's job_ load sees null, or this load of inside_ sees it inside.
    job_.store(nullptr);
    while (inside_.load() != 0) std::this_thread::yield();
  }

 private:
  // Starts helpers until `want` run (called with busy_ held, before a job is posted).
  void start(int want) noexcept {
    if (want > kMaxHelpers) want = kMaxHelpers;
    while (started_ < want) {
      const int index = started_;
      const uint64_t seen = posted_.load();
      try {
        std::thread([this, index, seen] { loop(index, seen); }).detach();
      } catch (...) {
        return;
      }
      ++started_;
    }
  }

  [[noreturn]] void loop(int index, uint64_t seen) noexcept {
    for (;;) {
      const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
      while (posted_.load() == seen) {
        if (std::chrono::steady_clock::now() < spin_until) {
          TENSILE_PAUSE();
          continue;
        }
        std::unique_lock<std::mutex> l(mu_);
        sleepers_.fetch_add(1);
        cv_.wait(l, [&] { return posted_.load() != seen; });
        sleepers_.fetch_sub(1);
      }
      seen = posted_.load();
      inside_.fetch_add(1);
      if (Job* job = job_.load(); job && index < job->helpers) job->work();
      inside_.fetch_sub(1);
    }
  }

  std::mutex busy_;  // held by the caller using the pool
  int started_ = 0;  // guarded by busy_
  std::atomic<Job*> job_{nullptr};
  std::atomic<uint64_t> posted_{0};
  std::atomic<int> inside_{0};
  std::atomic<int> sleepers_{0};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace

void set_pool_threads(int n) noexcept { g_threads.store(n < 1 ? 1 : n); }
int pool_threads() noexcept { return g_threads.load(); }

void parallel_chunks(size_t chunks, void (*body)(void* ctx, size_t c), void* ctx) noexcept {
  Job job;
  job.body = body;
  job.ctx = ctx;
  job.chunks = chunks;
  const size_t threads = size_t(pool_threads());
  job.helpers = int((chunks < threads ? chunks : threads) - 1);
  if (chunks < 2 || job.helpers <= 0) return job.work();
  Pool::instance().run(job);
}

}  // namespace tensile::cpu
