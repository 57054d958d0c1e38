// The MPI world of this process, owned by one communication thread: every MPI call (MPI_Init included) runs on
// it, so MPI_THREAD_FUNNELED suffices and the JavaScript thread never blocks on the network. Collectives are
// nonblocking calls polled to completion under a deadline, so a rank that died or never joins becomes an error,
// not a hang. No N-API here: addon.cc turns jobs into promises.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tensile::mpi {

enum class Dtype { F32, F64, I32, U8 };
enum class ReduceOp { Sum, Max, Min };

struct Buffer {
  void* data = nullptr;
  size_t count = 0;  // elements
  Dtype dtype = Dtype::F32;
};

struct Ranks {
  int rank = 0, size = 1, localRank = 0, localSize = 1;
  std::string library;  // MPI_Get_library_version, first line
};

// What a job reports: empty error on success.
struct Outcome {
  std::string error;
  Ranks ranks;
};

class World {
 public:
  // The process has one world; it is never destroyed (its thread may be stuck inside MPI_Init).
  static World& get();

  // Runs job on the communication thread, then done(outcome) on that thread too (addon.cc forwards it).
  void post(std::function<Outcome()> job, std::function<void(Outcome)> done);

  // The jobs themselves (called on the communication thread only).
  Outcome init();
  Outcome allreduce(Buffer b, ReduceOp op, double timeoutMs);
  Outcome broadcast(Buffer b, int root, double timeoutMs);
  Outcome allgather(Buffer send, Buffer recv, double timeoutMs);
  Outcome barrier(double timeoutMs);
  Outcome bcastBytes(void* data, size_t n, int root, double timeoutMs);  // for NCCL's unique id

  // Stop the thread: MPI_Finalize when the world is healthy (a failed world skips it: it would wait for the dead),
  // then join. When the thread is stuck (init never returned) it is left behind. Idempotent.
  void shutdown();
  // Init did not return in time: the thread is stuck inside MPI; never join it.
  void abandon();

  const Ranks& ranks() const { return ranks_; }
  bool initialized() const { return initialized_; }

 private:
  World() = default;
  void loop();
  void fail(const std::string& why) { broken_ = why; }
  std::string checkUsable(const char* op) const;
  // Polls a request to completion; a timeout or an MPI error marks the world broken.
  std::string wait(void* request, const char* op, double timeoutMs);

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::function<Outcome()>, std::function<void(Outcome)>>> queue_;
  std::thread thread_;
  bool started_ = false, stopping_ = false, stuck_ = false, finished_ = false;
  bool initialized_ = false;
  std::string broken_;
  Ranks ranks_;
};

}  // namespace tensile::mpi
