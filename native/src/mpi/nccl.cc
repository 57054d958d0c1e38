#include "nccl.h"

#include <dlfcn.h>
#include <sched.h>

#include <chrono>

namespace tensile::mpi::nccl {
namespace {

// From nccl.h (NCCL 2.x; these values are part of its stable ABI).
struct UniqueId {
  char internal[128];
};
using Comm = void*;
using Result = int;  // ncclSuccess = 0
constexpr int kFloat32 = 7;
int redOp(ReduceOp op) { return op == ReduceOp::Sum ? 0 : op == ReduceOp::Max ? 2 : 3; }  // ncclSum, ncclMax, ncclMin
using Stream = void*;
// From cuda.h (driver API).
using CuResult = int;  // CUDA_SUCCESS = 0, CUDA_ERROR_NOT_READY = 600
using CuDevice = int;
using CuContext = void*;

struct Api {
  Result (*getVersion)(int*);
  Result (*getUniqueId)(UniqueId*);
  Result (*commInitRank)(Comm*, int, UniqueId, int);
  Result (*allReduce)(const void*, void*, size_t, int, int, Comm, Stream);
  Result (*broadcast)(const void*, void*, size_t, int, int, Comm, Stream);
  Result (*commAbort)(Comm);
  Result (*commGetAsyncError)(Comm, Result*);
  const char* (*getErrorString)(Result);
  CuResult (*cuInit)(unsigned);
  CuResult (*cuDeviceGet)(CuDevice*, int);
  CuResult (*cuDevicePrimaryCtxRetain)(CuContext*, CuDevice);
  CuResult (*cuCtxSetCurrent)(CuContext);
  CuResult (*cuStreamQuery)(Stream);
};
Api api{};
bool loaded = false;
Comm comm = nullptr;
std::string broken;

template <typename F>
bool bind(void* lib, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(lib, name));
  return f != nullptr;
}

double nowMs() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

std::string ncclText(Result r) {
  return api.getErrorString ? api.getErrorString(r) : "NCCL error " + std::to_string(r);
}

// Waits for the work queued on the default stream; NCCL's asynchronous errors and the deadline end the wait.
std::string wait(const char* op, double timeoutMs) {
  const double deadline = nowMs() + timeoutMs;
  for (;;) {
    CuResult q = api.cuStreamQuery(nullptr);
    if (q == 0) return "";
    if (q != 600) return broken = std::string(op) + ": CUDA error " + std::to_string(q) + " while waiting";
    Result async = 0;
    api.commGetAsyncError(comm, &async);
    if (async != 0) {
      api.commAbort(comm);
      return broken = std::string(op) + " failed: " + ncclText(async);
    }
    if (nowMs() > deadline) {
      api.commAbort(comm);
      return broken = std::string(op) + " had no answer from the other ranks within " +
                      std::to_string(timeoutMs / 1000) + " s: a rank has died or has not joined";
    }
    sched_yield();
  }
}

std::string usable(const char* op) {
  if (!broken.empty()) return std::string("an earlier NCCL operation failed, so ") + op + " cannot run: " + broken;
  if (!comm) return std::string(op) + " before initNccl()";
  return "";
}

}  // namespace

std::string load() {
  if (loaded) return "";
  void* nccl = dlopen("libnccl.so.2", RTLD_NOW | RTLD_LOCAL);
  if (!nccl)
    return std::string("NCCL not found: ") + dlerror() +
           " (install NCCL 2, e.g. Debian's libnccl2 or the nvidia-nccl wheel, and put its lib folder on "
           "LD_LIBRARY_PATH)";
  void* cuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!cuda) return std::string("NCCL needs the CUDA driver, and libcuda.so.1 did not load: ") + dlerror();
  bool ok = bind(nccl, "ncclGetVersion", api.getVersion) && bind(nccl, "ncclGetUniqueId", api.getUniqueId) &&
            bind(nccl, "ncclCommInitRank", api.commInitRank) && bind(nccl, "ncclAllReduce", api.allReduce) &&
            bind(nccl, "ncclBroadcast", api.broadcast) && bind(nccl, "ncclCommAbort", api.commAbort) &&
            bind(nccl, "ncclCommGetAsyncError", api.commGetAsyncError) &&
            bind(nccl, "ncclGetErrorString", api.getErrorString) && bind(cuda, "cuInit", api.cuInit) &&
            bind(cuda, "cuDeviceGet", api.cuDeviceGet) &&
            bind(cuda, "cuDevicePrimaryCtxRetain", api.cuDevicePrimaryCtxRetain) &&
            bind(cuda, "cuCtxSetCurrent", api.cuCtxSetCurrent) && bind(cuda, "cuStreamQuery", api.cuStreamQuery);
  if (!ok) return "NCCL not found: libnccl.so.2 or libcuda.so.1 lacks a function tensile needs (NCCL >= 2.4 required)";
  loaded = true;
  return "";
}

int version() {
  int v = 0;
  if (loaded) api.getVersion(&v);
  return v;
}

Outcome init(World& world, double timeoutMs) {
  Outcome out;
  out.ranks = world.ranks();
  if (comm) return out;
  if ((out.error = load()).size()) return out;
  // The communication thread works in the primary context of this rank's GPU (the runtime API of tensile.node
  // uses the same context), one GPU per rank on each machine.
  CuDevice dev = 0;
  CuContext ctx = nullptr;
  CuResult cr = api.cuInit(0);
  if (cr == 0) cr = api.cuDeviceGet(&dev, out.ranks.localRank);
  if (cr == 0) cr = api.cuDevicePrimaryCtxRetain(&ctx, dev);
  if (cr == 0) cr = api.cuCtxSetCurrent(ctx);
  if (cr != 0) {
    out.error = "NCCL: no CUDA device " + std::to_string(out.ranks.localRank) + " for local rank " +
                std::to_string(out.ranks.localRank) + " (CUDA driver error " + std::to_string(cr) + ")";
    return out;
  }
  UniqueId id{};
  if (out.ranks.rank == 0) {
    Result r = api.getUniqueId(&id);
    if (r != 0) {
      out.error = "ncclGetUniqueId failed: " + ncclText(r);
      return out;
    }
  }
  // Every rank takes part in the broadcast, even one whose ncclGetUniqueId failed: the others would wait.
  Outcome b = world.bcastBytes(&id, sizeof id, 0, timeoutMs);
  if (!b.error.empty()) {
    out.error = b.error;
    return out;
  }
  Result r = api.commInitRank(&comm, out.ranks.size, id, out.ranks.rank);
  if (r != 0) {
    comm = nullptr;
    out.error = "ncclCommInitRank failed: " + ncclText(r);
  }
  return out;
}

Outcome allreduce(uint64_t address, size_t count, ReduceOp op, double timeoutMs) {
  Outcome out;
  if ((out.error = usable("allreduce")).size()) return out;
  void* p = reinterpret_cast<void*>(address);
  Result r = api.allReduce(p, p, count, kFloat32, redOp(op), comm, nullptr);
  out.error = r != 0 ? "ncclAllReduce failed: " + ncclText(r) : wait("allreduce", timeoutMs);
  return out;
}

Outcome broadcast(uint64_t address, size_t count, int root, double timeoutMs) {
  Outcome out;
  if ((out.error = usable("broadcast")).size()) return out;
  void* p = reinterpret_cast<void*>(address);
  Result r = api.broadcast(p, p, count, kFloat32, root, comm, nullptr);
  out.error = r != 0 ? "ncclBroadcast failed: " + ncclText(r) : wait("broadcast", timeoutMs);
  return out;
}

}  // namespace tensile::mpi::nccl
