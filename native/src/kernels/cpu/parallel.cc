#include "parallel.h"

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

struct Job {
  void (*body)(void*, size_t);
  void* ctx;
  size_t chunks;
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

class Helper {
 public:
  // Never destroyed: the thread outlives static destruction at exit (a joinable std::thread would terminate).
  // Null when no thread can be started (a process at its thread limit): callers then work alone.
  static Helper* instance() noexcept {
    static Helper* h = [] {
      try {
        return new Helper();
      } catch (...) {
        return static_cast<Helper*>(nullptr);
      }
    }();
    return h;
  }

  void run(Job& job) noexcept {
    std::unique_lock<std::mutex> mine(busy_, std::try_to_lock);
    if (!mine.owns_lock()) {  // another JS thread (a worker_thread) is using the helper: go alone
      job.work();
      return;
    }
    job_.store(&job);
    posted_.fetch_add(1);
    if (sleeping_.load()) {
      std::lock_guard<std::mutex> l(mu_);
      cv_.notify_one();
    }
    job.work();
    while (job.done.load(std::memory_order_acquire) < job.chunks) TENSILE_PAUSE();
    // The helper may still be between reading job_ and finding no chunk left: wait until it lets go of `job`.
    // seq_cst: either the helper's job_ load sees null, or this load of inside_ sees it inside.
    job_.store(nullptr);
    while (inside_.load() != 0) TENSILE_PAUSE();
  }

 private:
  Helper() { std::thread([this] { loop(); }).detach(); }

  [[noreturn]] void loop() noexcept {
    uint64_t seen = 0;
    for (;;) {
      const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
      while (posted_.load() == seen) {
        if (std::chrono::steady_clock::now() < spin_until) {
          TENSILE_PAUSE();
          continue;
        }
        std::unique_lock<std::mutex> l(mu_);
        sleeping_.store(true);
        cv_.wait(l, [&] { return posted_.load() != seen; });
        sleeping_.store(false);
      }
      seen = posted_.load();
      inside_.fetch_add(1);
      if (Job* job = job_.load()) job->work();
      inside_.fetch_sub(1);
    }
  }

  std::mutex busy_;  // held by the caller using the helper
  std::atomic<Job*> job_{nullptr};
  std::atomic<uint64_t> posted_{0};
  std::atomic<int> inside_{0};
  std::atomic<bool> sleeping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace

void parallel_chunks(size_t chunks, void (*body)(void* ctx, size_t c), void* ctx) noexcept {
  Job job;
  job.body = body;
  job.ctx = ctx;
  job.chunks = chunks;
  Helper* helper = chunks < 2 ? nullptr : Helper::instance();
  if (helper)
    helper->run(job);
  else
    job.work();
}

}  // namespace tensile::cpu
