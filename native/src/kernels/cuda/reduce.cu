// Reductions, argmax, softmax and the activation pieces of fused layers. A block reduces one
// output (a row or a strided column) with a shared-memory tree; NaN handling follows the CPU kernels.
#include <cfloat>
#include <cstdint>

#include "common.cuh"

namespace tensile::cuda {
namespace {

__device__ __forceinline__ float combine(cpu::ReduceOp op, float a, float b) {
  if (op == cpu::ReduceOp::Sum) return a + b;
  if (a != a || b != b) return NAN;  // NaN wins a max or min, as in NumPy
  return op == cpu::ReduceOp::Max ? fmaxf(a, b) : fminf(a, b);
}

// Reduce v over the block (blockDim.x == kThreads); every thread gets the result.
template <class F>
__device__ float block_reduce(float v, F f) {
  __shared__ float tmp[kThreads];
  __syncthreads();  // tmp may still be read from a previous call
  tmp[threadIdx.x] = v;
  __syncthreads();
  for (unsigned s = kThreads / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) tmp[threadIdx.x] = f(tmp[threadIdx.x], tmp[threadIdx.x + s]);
    __syncthreads();
  }
  return tmp[0];
}

__global__ void reduce_kernel(cpu::ReduceOp op, const float* x, float* out, size_t outer, size_t n, size_t inner) {
  const float init = op == cpu::ReduceOp::Sum ? 0.f : op == cpu::ReduceOp::Max ? -INFINITY : INFINITY;
  for (size_t o = blockIdx.x; o < outer * inner; o += gridDim.x) {
    const size_t base = (o / inner) * n * inner + o % inner;
    float acc = init;
    for (size_t j = threadIdx.x; j < n; j += blockDim.x) acc = combine(op, acc, x[base + j * inner]);
    acc = block_reduce(acc, [op](float a, float b) { return combine(op, a, b); });
    if (threadIdx.x == 0) out[o] = acc;
  }
}

struct Best {
  float v;
  size_t j;
};

// The first maximum; the first NaN if any (as the CPU kernel).
__device__ __forceinline__ Best better(Best a, Best b) {
  const bool an = a.v != a.v, bn = b.v != b.v;
  if (an || bn) return an && bn ? (a.j < b.j ? a : b) : (an ? a : b);
  if (a.v != b.v) return a.v > b.v ? a : b;
  return a.j < b.j ? a : b;
}

__global__ void argmax_kernel(const float* x, float* out, size_t outer, size_t n, size_t inner) {
  __shared__ Best tmp[kThreads];
  for (size_t o = blockIdx.x; o < outer * inner; o += gridDim.x) {
    const size_t base = (o / inner) * n * inner + o % inner;
    Best acc{-INFINITY, SIZE_MAX};
    for (size_t j = threadIdx.x; j < n; j += blockDim.x) acc = better(acc, Best{x[base + j * inner], j});
    __syncthreads();
    tmp[threadIdx.x] = acc;
    __syncthreads();
    for (unsigned s = kThreads / 2; s > 0; s >>= 1) {
      if (threadIdx.x < s) tmp[threadIdx.x] = better(tmp[threadIdx.x], tmp[threadIdx.x + s]);
      __syncthreads();
    }
    if (threadIdx.x == 0) out[o] = float(tmp[0].j == SIZE_MAX ? 0 : tmp[0].j);
  }
}

__global__ void softmax_kernel(const float* x, float* out, size_t rows, size_t cols, bool log) {
  for (size_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const float* xr = x + r * cols;
    float* yr = out + r * cols;
    float m = -INFINITY;
    for (size_t j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, xr[j]);
    m = block_reduce(m, [](float a, float b) { return fmaxf(a, b); });
    if (m == -INFINITY) m = 0;  // a row of -Infinity gives NaN below, as on the CPU
    float s = 0;
    for (size_t j = threadIdx.x; j < cols; j += blockDim.x) s += expf(xr[j] - m);
    s = block_reduce(s, [](float a, float b) { return a + b; });
    const float lse = logf(s);
    for (size_t j = threadIdx.x; j < cols; j += blockDim.x) yr[j] = log ? xr[j] - m - lse : expf(xr[j] - m) / s;
  }
}

__device__ __forceinline__ float activate(cpu::DenseAct act, float x) {
  switch (act) {
    case cpu::DenseAct::Relu: return relu(x);
    case cpu::DenseAct::Sigmoid: return sigmoid(x);
    case cpu::DenseAct::Tanh: return tanhf(x);
    default: return x;
  }
}

__global__ void bias_activation_kernel(float* pre, const float* bias, size_t rows, size_t cols, cpu::DenseAct act) {
  TENSILE_GRID_LOOP(i, rows * cols) {
    const float v = bias ? pre[i] + bias[i % cols] : pre[i];
    pre[i] = activate(act, v);
  }
}

__global__ void activation_backward_kernel(const float* y, const float* dy, float* dpre, size_t n, cpu::DenseAct act) {
  TENSILE_GRID_LOOP(i, n) {
    const float v = y[i], g = dy[i];
    switch (act) {
      case cpu::DenseAct::Relu: dpre[i] = v > 0 ? g : 0.f; break;
      case cpu::DenseAct::Sigmoid: dpre[i] = g * (v * (1 - v)); break;
      case cpu::DenseAct::Tanh: dpre[i] = g * (1 - v * v); break;
      default: dpre[i] = g;
    }
  }
}

__global__ void softmax_backward_kernel(const float* y, const float* dy, float* dpre, size_t rows, size_t cols) {
  for (size_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const float *yr = y + r * cols, *gr = dy + r * cols;
    float dot = 0;
    for (size_t j = threadIdx.x; j < cols; j += blockDim.x) dot += yr[j] * gr[j];
    dot = block_reduce(dot, [](float a, float b) { return a + b; });
    for (size_t j = threadIdx.x; j < cols; j += blockDim.x) dpre[r * cols + j] = yr[j] * (gr[j] - dot);
  }
}

unsigned blocks_of(size_t outputs) { return unsigned(std::min<size_t>(outputs, 65535)); }

}  // namespace

void reduce(cpu::ReduceOp op, const float* x, float* out, size_t outer, size_t n, size_t inner) {
  if (outer * inner == 0) return;
  reduce_kernel<<<blocks_of(outer * inner), kThreads, 0, stream()>>>(op, x, out, outer, n, inner);
  check_launch("reduce");
}

void argmax(const float* x, float* out, size_t outer, size_t n, size_t inner) {
  if (outer * inner == 0) return;
  argmax_kernel<<<blocks_of(outer * inner), kThreads, 0, stream()>>>(x, out, outer, n, inner);
  check_launch("argmax");
}

void softmax(const float* x, float* out, size_t rows, size_t cols, bool log) {
  if (rows * cols == 0) return;
  softmax_kernel<<<blocks_of(rows), kThreads, 0, stream()>>>(x, out, rows, cols, log);
  check_launch("softmax");
}

void bias_activation(float* pre, const float* bias, size_t rows, size_t cols, cpu::DenseAct act) {
  if (rows * cols == 0) return;
  if (act == cpu::DenseAct::Softmax) {
    if (bias)
      bias_activation_kernel<<<blocks_for(rows * cols), kThreads, 0, stream()>>>(pre, bias, rows, cols,
                                                                                 cpu::DenseAct::Linear);
    softmax_kernel<<<blocks_of(rows), kThreads, 0, stream()>>>(pre, pre, rows, cols, false);
  } else {
    bias_activation_kernel<<<blocks_for(rows * cols), kThreads, 0, stream()>>>(pre, bias, rows, cols, act);
  }
  check_launch("bias_activation");
}

void activation_backward(const float* y, const float* dy, float* dpre, size_t rows, size_t cols, cpu::DenseAct act) {
  if (rows * cols == 0) return;
  if (act == cpu::DenseAct::Softmax)
    softmax_backward_kernel<<<blocks_of(rows), kThreads, 0, stream()>>>(y, dy, dpre, rows, cols);
  else activation_backward_kernel<<<blocks_for(rows * cols), kThreads, 0, stream()>>>(y, dy, dpre, rows * cols, act);
  check_launch("activation_backward");
}

}  // namespace tensile::cuda
