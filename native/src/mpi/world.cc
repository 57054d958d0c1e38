#include "world.h"

#include <dlfcn.h>
#include <mpi.h>
#include <sched.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace tensile::mpi {
namespace {

MPI_Datatype mpiType(Dtype t) {
  switch (t) {
    case Dtype::F32: return MPI_FLOAT;
    case Dtype::F64: return MPI_DOUBLE;
    case Dtype::I32: return MPI_INT;
    default: return MPI_UNSIGNED_CHAR;
  }
}
MPI_Op mpiOp(ReduceOp op) { return op == ReduceOp::Sum ? MPI_SUM : op == ReduceOp::Max ? MPI_MAX : MPI_MIN; }

std::string errorText(int rc) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  if (MPI_Error_string(rc, text, &len) != MPI_SUCCESS) return "MPI error " + std::to_string(rc);
  return std::string(text, len);
}

double nowMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

std::string seconds(double ms) {
  char s[32];
  std::snprintf(s, sizeof s, "%g s", ms / 1000);
  return s;
}

// Open MPI opens its components (btl, pml, ...) with dlopen and they resolve libmpi's symbols globally; an addon
// is loaded RTLD_LOCAL, so promote the libmpi this addon is linked to into the global namespace first.
void promoteLibmpi() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&MPI_Init_thread), &info) && info.dli_fname)
    dlopen(info.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
}

void shutdownAtExit() { World::get().shutdown(); }

}  // namespace

World& World::get() {
  static World* world = new World();  // leaked on purpose: see world.h
  return *world;
}

void World::post(std::function<Outcome()> job, std::function<void(Outcome)> done) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!started_) {
    started_ = true;
    thread_ = std::thread([this] { loop(); });
  }
  queue_.emplace_back(std::move(job), std::move(done));
  cv_.notify_one();
}

void World::loop() {
  for (;;) {
    std::pair<std::function<Outcome()>, std::function<void(Outcome)>> item;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    Outcome out = item.first();
    if (item.second) item.second(std::move(out));
  }
  if (initialized_ && broken_.empty()) MPI_Finalize();
}

void World::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || finished_) return;
    finished_ = true;
    stopping_ = true;
    cv_.notify_one();
    if (stuck_) {
      thread_.detach();
      return;
    }
  }
  thread_.join();
}

void World::abandon() {
  std::lock_guard<std::mutex> lock(mu_);
  stuck_ = true;
  if (broken_.empty()) broken_ = "MPI_Init did not return";
}

Outcome World::init() {
  Outcome out;
  if (initialized_) {
    out.ranks = ranks_;
    return out;
  }
  promoteLibmpi();
  int provided = 0;
  int rc = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  if (rc != MPI_SUCCESS) {
    out.error = "MPI_Init_thread failed: " + errorText(rc);
    fail(out.error);
    return out;
  }
  initialized_ = true;
  std::atexit(shutdownAtExit);  // also on process.exit(), where Node runs no cleanup hooks
  // Errors come back as codes (and become TensileErrors) instead of aborting the job.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &ranks_.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks_.size);
  MPI_Comm local;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, ranks_.rank, MPI_INFO_NULL, &local) == MPI_SUCCESS) {
    MPI_Comm_rank(local, &ranks_.localRank);
    MPI_Comm_size(local, &ranks_.localSize);
    MPI_Comm_free(&local);
  }
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(version, &len);
  std::string v(version, len);
  ranks_.library = v.substr(0, v.find_first_of(",\n"));
  out.ranks = ranks_;
  return out;
}

std::string World::checkUsable(const char* op) const {
  if (!broken_.empty()) return std::string("an earlier collective failed, so ") + op + " cannot run: " + broken_;
  if (!initialized_) return std::string(op) + " before init()";
  return "";
}

std::string World::wait(void* request, const char* op, double timeoutMs) {
  auto* req = static_cast<MPI_Request*>(request);
  const double deadline = nowMs() + timeoutMs;
  for (unsigned spins = 1;; spins++) {
    int done = 0;
    int rc = MPI_Test(req, &done, MPI_STATUS_IGNORE);
    if (rc != MPI_SUCCESS) {
      fail(std::string(op) + " failed: " + errorText(rc));
      return broken_;
    }
    if (done) return "";
    if ((spins & 63) == 0 && nowMs() > deadline) {
      fail(std::string(op) + " had no answer from the other ranks within " + seconds(timeoutMs) + " (rank " +
           std::to_string(ranks_.rank) + " of " + std::to_string(ranks_.size) +
           "): a rank has died, has not joined, or is not running the same collectives");
      return broken_;
    }
    // Open MPI here has no progress thread: this loop is what moves the data. Poll flat out for the first
    // millisecond (ranks usually arrive together; yielding then costs a time slice on a busy machine), then
    // yield between polls so that a slower rank's BLAS threads sharing this core can run.
    if (spins > 1024 && nowMs() - (deadline - timeoutMs) > 1) sched_yield();
  }
}

Outcome World::allreduce(Buffer b, ReduceOp op, double timeoutMs) {
  Outcome out;
  if ((out.error = checkUsable("allreduce")).size()) return out;
  MPI_Request req;
  int rc = MPI_Iallreduce(MPI_IN_PLACE, b.data, static_cast<int>(b.count), mpiType(b.dtype), mpiOp(op), MPI_COMM_WORLD,
                          &req);
  out.error = rc != MPI_SUCCESS ? "MPI_Iallreduce failed: " + errorText(rc) : wait(&req, "allreduce", timeoutMs);
  return out;
}

Outcome World::broadcast(Buffer b, int root, double timeoutMs) {
  Outcome out;
  if ((out.error = checkUsable("broadcast")).size()) return out;
  MPI_Request req;
  int rc = MPI_Ibcast(b.data, static_cast<int>(b.count), mpiType(b.dtype), root, MPI_COMM_WORLD, &req);
  out.error = rc != MPI_SUCCESS ? "MPI_Ibcast failed: " + errorText(rc) : wait(&req, "broadcast", timeoutMs);
  return out;
}

Outcome World::allgather(Buffer send, Buffer recv, double timeoutMs) {
  Outcome out;
  if ((out.error = checkUsable("allgather")).size()) return out;
  if (recv.count != send.count * static_cast<size_t>(ranks_.size)) {
    out.error = "allgather: out has " + std::to_string(recv.count) + " elements; expected data's " +
                std::to_string(send.count) + " times " + std::to_string(ranks_.size) + " ranks";
    return out;
  }
  MPI_Request req;
  int rc = MPI_Iallgather(send.data, static_cast<int>(send.count), mpiType(send.dtype), recv.data,
                          static_cast<int>(send.count), mpiType(recv.dtype), MPI_COMM_WORLD, &req);
  out.error = rc != MPI_SUCCESS ? "MPI_Iallgather failed: " + errorText(rc) : wait(&req, "allgather", timeoutMs);
  return out;
}

Outcome World::barrier(double timeoutMs) {
  Outcome out;
  if ((out.error = checkUsable("barrier")).size()) return out;
  MPI_Request req;
  int rc = MPI_Ibarrier(MPI_COMM_WORLD, &req);
  out.error = rc != MPI_SUCCESS ? "MPI_Ibarrier failed: " + errorText(rc) : wait(&req, "barrier", timeoutMs);
  return out;
}

Outcome World::bcastBytes(void* data, size_t n, int root, double timeoutMs) {
  return broadcast(Buffer{data, n, Dtype::U8}, root, timeoutMs);
}

}  // namespace tensile::mpi
