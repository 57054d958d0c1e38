// What every CUDA translation unit of tensile shares: the stream, error checks and launch sizes.
#pragma once
#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>

#include "cuda.h"

namespace tensile::cuda {

void check(cudaError_t e, const char* what);  // throws Error naming what and the CUDA error
void check_launch(const char* what);          // after a kernel launch
cudaStream_t stream();

inline constexpr int kThreads = 256;
// Grid-stride loops: enough blocks to fill the GPU, never more than the work needs.
inline unsigned blocks_for(size_t n) { return unsigned(std::min<size_t>((n + kThreads - 1) / kThreads, 65535)); }

// The activations element-wise ops and fused layers share, with the CPU kernels' NaN handling.
__device__ __forceinline__ float relu(float x) { return x > 0 ? x : (x == x ? 0.f : x); }  // NaN stays NaN
__device__ __forceinline__ float sigmoid(float x) {
  // Only ever exponentiates a non-positive number: no overflow for large |x|.
  return x >= 0 ? 1.f / (1.f + expf(-x)) : expf(x) / (1.f + expf(x));
}

#define TENSILE_GRID_LOOP(i, n) \
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < (n); i += size_t(blockDim.x) * gridDim.x)

}  // namespace tensile::cuda
