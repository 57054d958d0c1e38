// NCCL for tensors on the GPU, loaded at run time: dlopen("libnccl.so.2") and the CUDA driver ("libcuda.so.1")
// with prototypes of our own, so nothing is needed at build time and the addon loads where neither exists.
// The communicator is made on the communication thread: rank 0's unique id travels by MPI broadcast. Operations
// run on the legacy default stream and are polled (cuStreamQuery, ncclCommGetAsyncError) under a deadline;
// a timeout aborts the communicator (ncclCommAbort), as NCCL's documentation asks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "world.h"

namespace tensile::mpi::nccl {

// "" when libnccl.so.2 and libcuda.so.1 load and have every symbol used; else why not ("NCCL not found: ...").
std::string load();
// Communication-thread jobs. Device pointers are addresses in the primary context of device localRank.
Outcome init(World& world, double timeoutMs);
Outcome allreduce(uint64_t address, size_t count, ReduceOp op, double timeoutMs);
Outcome broadcast(uint64_t address, size_t count, int root, double timeoutMs);
int version();

}  // namespace tensile::mpi::nccl
