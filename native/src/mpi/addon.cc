// tensile_mpi.node: the collectives of lib/distributed as promises. A separate addon from tensile.node so that the
// main addon never needs libmpi (a shared library whose ABI belongs to one MPI implementation) to load. Each call
// checks its arguments, pins its typed arrays with references, posts a job to the communication thread (world.h)
// and returns a promise that a thread-safe function settles on the JavaScript thread.
#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "nccl.h"
#include "world.h"

namespace {
using namespace tensile::mpi;

// The thread-safe function of the one environment that owns MPI (MPI is per process, not per worker).
struct Channel {
  Napi::ThreadSafeFunction tsfn;
  napi_env env = nullptr;
  int pending = 0;
  bool closed = false;
};
Channel* channel = nullptr;

struct Job {
  Napi::Promise::Deferred deferred;
  std::vector<Napi::Reference<Napi::Value>> pinned;  // typed arrays the communication thread reads or writes
  Outcome outcome;
  bool resolveRanks = false;
  explicit Job(Napi::Env env) : deferred(Napi::Promise::Deferred::New(env)) {}
};

[[noreturn]] void fail(Napi::Env env, const std::string& fn, const std::string& what) {
  throw Napi::TypeError::New(env, fn + ": " + what);
}

void settle(Napi::Env env, Job* job) {
  std::unique_ptr<Job> owned(job);
  if (channel && --channel->pending == 0 && !channel->closed) channel->tsfn.Unref(env);
  if (!job->outcome.error.empty()) {
    job->deferred.Reject(Napi::Error::New(env, job->outcome.error).Value());
    return;
  }
  if (!job->resolveRanks) {
    job->deferred.Resolve(env.Undefined());
    return;
  }
  const Ranks& r = job->outcome.ranks;
  Napi::Object o = Napi::Object::New(env);
  o.Set("rank", r.rank);
  o.Set("size", r.size);
  o.Set("localRank", r.localRank);
  o.Set("localSize", r.localSize);
  o.Set("library", r.library);
  job->deferred.Resolve(o);
}

// Posts work to the communication thread; the promise settles on this thread.
Napi::Value submit(Napi::Env env, std::unique_ptr<Job> job, std::function<Outcome()> work) {
  if (!channel) fail(env, "distributed", "init() must be called first");
  if (channel->env != env) fail(env, "distributed", "MPI belongs to the thread that called init(); not this worker");
  if (channel->closed) fail(env, "distributed", "MPI was shut down");
  Napi::Promise promise = job->deferred.Promise();
  if (channel->pending++ == 0) channel->tsfn.Ref(env);
  Job* raw = job.release();
  Napi::ThreadSafeFunction tsfn = channel->tsfn;
  World::get().post(std::move(work), [raw, tsfn](Outcome out) mutable {
    raw->outcome = std::move(out);
    // The environment is closing: the job's references belong to it and must not be freed from this thread,
    // so the job is left to the end of the process.
    tsfn.NonBlockingCall(raw, [](Napi::Env e, Napi::Function, Job* j) { settle(e, j); });
  });
  return promise;
}

Buffer bufferOf(Napi::Env env, const std::string& fn, const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray())
    fail(env, fn, std::string(name) + " must be a Float32Array, Float64Array, Int32Array or Uint8Array");
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  Buffer b;
  switch (t.TypedArrayType()) {
    case napi_float32_array: b.dtype = Dtype::F32; break;
    case napi_float64_array: b.dtype = Dtype::F64; break;
    case napi_int32_array: b.dtype = Dtype::I32; break;
    case napi_uint8_array: b.dtype = Dtype::U8; break;
    default: fail(env, fn, std::string(name) + " must be a Float32Array, Float64Array, Int32Array or Uint8Array");
  }
  b.count = t.ElementLength();
  if (b.count > 0x7fffffff) fail(env, fn, std::string(name) + " has more than 2^31-1 elements");
  b.data = static_cast<uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
  return b;
}

double timeoutOf(Napi::Env env, const std::string& fn, const Napi::Value& v) {
  if (!v.IsNumber() || !(v.As<Napi::Number>().DoubleValue() > 0)) fail(env, fn, "timeoutMs must be a positive number");
  return v.As<Napi::Number>().DoubleValue();
}

Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (channel && channel->env != env)
    fail(env, "distributed.init", "MPI is already initialised in another thread of this process");
  if (!channel) {
    channel = new Channel();
    channel->env = env;
    channel->tsfn = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                                  "tensile.distributed", 0, 1);
    channel->tsfn.Unref(env);
    env.AddCleanupHook([] {
      if (!channel->closed) {
        channel->closed = true;
        channel->tsfn.Abort();
      }
      World::get().shutdown();
    });
  }
  auto job = std::make_unique<Job>(env);
  job->resolveRanks = true;
  return submit(env, std::move(job), [] { return World::get().init(); });
}

Napi::Value Abandon(const Napi::CallbackInfo& info) {
  World::get().abandon();
  if (channel && !channel->closed) {
    channel->closed = true;
    channel->tsfn.Abort();
  }
  return info.Env().Undefined();
}

Napi::Value Allreduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string fn = "distributed.allreduce";
  Buffer b = bufferOf(env, fn, info[0], "data");
  std::string op = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  if (op != "sum" && op != "max" && op != "min") fail(env, fn, "op must be 'sum', 'max' or 'min'");
  ReduceOp rop = op == "sum" ? ReduceOp::Sum : op == "max" ? ReduceOp::Max : ReduceOp::Min;
  double timeout = timeoutOf(env, fn, info[2]);
  auto job = std::make_unique<Job>(env);
  job->pinned.push_back(Napi::Persistent(info[0]));
  return submit(env, std::move(job), [b, rop, timeout] { return World::get().allreduce(b, rop, timeout); });
}

Napi::Value Broadcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string fn = "distributed.broadcast";
  Buffer b = bufferOf(env, fn, info[0], "data");
  if (!info[1].IsNumber()) fail(env, fn, "root must be a rank number");
  int root = info[1].As<Napi::Number>().Int32Value();
  double timeout = timeoutOf(env, fn, info[2]);
  auto job = std::make_unique<Job>(env);
  job->pinned.push_back(Napi::Persistent(info[0]));
  return submit(env, std::move(job), [b, root, timeout] { return World::get().broadcast(b, root, timeout); });
}

Napi::Value Allgather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string fn = "distributed.allgather";
  Buffer send = bufferOf(env, fn, info[0], "data");
  Buffer recv = bufferOf(env, fn, info[1], "out");
  if (send.dtype != recv.dtype) fail(env, fn, "data and out must be typed arrays of the same kind");
  double timeout = timeoutOf(env, fn, info[2]);
  auto job = std::make_unique<Job>(env);
  job->pinned.push_back(Napi::Persistent(info[0]));
  job->pinned.push_back(Napi::Persistent(info[1]));
  return submit(env, std::move(job), [send, recv, timeout] { return World::get().allgather(send, recv, timeout); });
}

Napi::Value Barrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double timeout = timeoutOf(env, "distributed.barrier", info[0]);
  return submit(env, std::make_unique<Job>(env), [timeout] { return World::get().barrier(timeout); });
}

// NCCL: tensors on the GPU, by device address (a BigInt), float32 only.
Napi::Value NcclAvailable(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), nccl::load()); }

Napi::Value NcclInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double timeout = timeoutOf(env, "distributed.initNccl", info[0]);
  auto job = std::make_unique<Job>(env);
  job->resolveRanks = true;
  return submit(env, std::move(job), [timeout] { return nccl::init(World::get(), timeout); });
}

uint64_t addressOf(Napi::Env env, const std::string& fn, const Napi::Value& v) {
  bool lossless = false;
  if (!v.IsBigInt()) fail(env, fn, "address must be a BigInt device pointer");
  uint64_t a = v.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless || a == 0) fail(env, fn, "address must be a non-null 64-bit device pointer");
  return a;
}
size_t countOf(Napi::Env env, const std::string& fn, const Napi::Value& v) {
  if (!v.IsNumber() || v.As<Napi::Number>().DoubleValue() < 0 ||
      v.As<Napi::Number>().DoubleValue() != static_cast<double>(v.As<Napi::Number>().Int64Value()))
    fail(env, fn, "count must be a non-negative integer");
  return static_cast<size_t>(v.As<Napi::Number>().Int64Value());
}

Napi::Value NcclAllreduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string fn = "distributed.allreduce (NCCL)";
  uint64_t address = addressOf(env, fn, info[0]);
  size_t count = countOf(env, fn, info[1]);
  std::string op = info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "";
  if (op != "sum" && op != "max" && op != "min") fail(env, fn, "op must be 'sum', 'max' or 'min'");
  ReduceOp rop = op == "sum" ? ReduceOp::Sum : op == "max" ? ReduceOp::Max : ReduceOp::Min;
  double timeout = timeoutOf(env, fn, info[3]);
  return submit(env, std::make_unique<Job>(env),
                [address, count, rop, timeout] { return nccl::allreduce(address, count, rop, timeout); });
}

Napi::Value NcclBroadcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string fn = "distributed.broadcast (NCCL)";
  uint64_t address = addressOf(env, fn, info[0]);
  size_t count = countOf(env, fn, info[1]);
  if (!info[2].IsNumber()) fail(env, fn, "root must be a rank number");
  int root = info[2].As<Napi::Number>().Int32Value();
  double timeout = timeoutOf(env, fn, info[3]);
  return submit(env, std::make_unique<Job>(env),
                [address, count, root, timeout] { return nccl::broadcast(address, count, root, timeout); });
}

Napi::Object Module(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init, "init"));
  exports.Set("abandon", Napi::Function::New(env, Abandon, "abandon"));
  exports.Set("allreduce", Napi::Function::New(env, Allreduce, "allreduce"));
  exports.Set("broadcast", Napi::Function::New(env, Broadcast, "broadcast"));
  exports.Set("allgather", Napi::Function::New(env, Allgather, "allgather"));
  exports.Set("barrier", Napi::Function::New(env, Barrier, "barrier"));
  exports.Set("ncclAvailable", Napi::Function::New(env, NcclAvailable, "ncclAvailable"));
  exports.Set("ncclInit", Napi::Function::New(env, NcclInit, "ncclInit"));
  exports.Set("ncclAllreduce", Napi::Function::New(env, NcclAllreduce, "ncclAllreduce"));
  exports.Set("ncclBroadcast", Napi::Function::New(env, NcclBroadcast, "ncclBroadcast"));
  return exports;
}

}  // namespace

NODE_API_MODULE(tensile_mpi, Module)
