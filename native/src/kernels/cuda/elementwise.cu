// Element-wise kernels with the CPU kernels' semantics (NaN propagation, ±0), one thread per
// output element in grid-stride loops; broadcast plans are decoded per element.
#include "common.cuh"

namespace tensile::cuda {
namespace {

__device__ __forceinline__ float apply_unary(cpu::UnaryOp op, float x) {
  switch (op) {
    case cpu::UnaryOp::Neg: return -x;
    case cpu::UnaryOp::Exp: return expf(x);
    case cpu::UnaryOp::Log: return logf(x);
    case cpu::UnaryOp::Sqrt: return sqrtf(x);
    case cpu::UnaryOp::Abs: return fabsf(x);
    case cpu::UnaryOp::Square: return x * x;
    case cpu::UnaryOp::Relu: return relu(x);
    case cpu::UnaryOp::Sigmoid: return sigmoid(x);
    case cpu::UnaryOp::Tanh: return tanhf(x);
    case cpu::UnaryOp::Step: return x > 0 ? 1.f : (x == x ? 0.f : x);
    case cpu::UnaryOp::Sign: return x > 0 ? 1.f : (x < 0 ? -1.f : x);
  }
  return x;
}

__device__ __forceinline__ float apply_binary(cpu::BinaryOp op, float a, float b) {
  switch (op) {
    case cpu::BinaryOp::Add: return a + b;
    case cpu::BinaryOp::Sub: return a - b;
    case cpu::BinaryOp::Mul: return a * b;
    case cpu::BinaryOp::Div: return a / b;
    case cpu::BinaryOp::Pow: return powf(a, b);
    case cpu::BinaryOp::Maximum: return (a != a || b != b) ? NAN : (a > b ? a : b);
    case cpu::BinaryOp::Minimum: return (a != a || b != b) ? NAN : (a < b ? a : b);
    case cpu::BinaryOp::Equal: return a == b ? 1.f : 0.f;
    case cpu::BinaryOp::Greater: return a > b ? 1.f : 0.f;
    case cpu::BinaryOp::GreaterEqual: return a >= b ? 1.f : 0.f;
    case cpu::BinaryOp::Less: return a < b ? 1.f : 0.f;
    case cpu::BinaryOp::LessEqual: return a <= b ? 1.f : 0.f;
  }
  return a;
}

// A broadcast plan passed by value (kernel parameters live in constant memory).
template <size_t K>
struct DevicePlan {
  unsigned rank;
  size_t shape[cpu::kMaxRank];
  size_t strides[K][cpu::kMaxRank];
  size_t total;

  __device__ void offsets(size_t i, size_t (&off)[K]) const {
    for (size_t k = 0; k < K; ++k) off[k] = 0;
    for (unsigned d = rank; d-- > 0;) {
      const size_t idx = i % shape[d];
      i /= shape[d];
      for (size_t k = 0; k < K; ++k) off[k] += idx * strides[k][d];
    }
  }
};

template <size_t K>
DevicePlan<K> device_plan(const cpu::Strided<K>& p) {
  DevicePlan<K> d{};
  d.rank = unsigned(p.rank);
  d.total = 1;
  for (size_t r = 0; r < p.rank; ++r) {
    d.shape[r] = p.shape[r];
    d.total *= p.shape[r];
    for (size_t k = 0; k < K; ++k) d.strides[k][r] = p.strides[k][r];
  }
  return d;
}

__global__ void unary_kernel(cpu::UnaryOp op, const float* x, float* out, size_t n) {
  TENSILE_GRID_LOOP(i, n) out[i] = apply_unary(op, x[i]);
}

__global__ void binary_kernel(cpu::BinaryOp op, const float* a, const float* b, float* out, DevicePlan<2> p) {
  TENSILE_GRID_LOOP(i, p.total) {
    size_t off[2];
    p.offsets(i, off);
    out[i] = apply_binary(op, a[off[0]], b[off[1]]);
  }
}

__global__ void where_kernel(const float* cond, const float* a, const float* b, float* out, DevicePlan<3> p) {
  TENSILE_GRID_LOOP(i, p.total) {
    size_t off[3];
    p.offsets(i, off);
    out[i] = cond[off[0]] != 0 ? a[off[1]] : b[off[2]];
  }
}

__global__ void broadcast_kernel(const float* x, float* out, DevicePlan<1> p) {
  TENSILE_GRID_LOOP(i, p.total) {
    size_t off[1];
    p.offsets(i, off);
    out[i] = x[off[0]];
  }
}

}  // namespace

void unary(cpu::UnaryOp op, const float* x, float* out, size_t n) {
  if (n == 0) return;
  unary_kernel<<<blocks_for(n), kThreads, 0, stream()>>>(op, x, out, n);
  check_launch("unary");
}

void binary(cpu::BinaryOp op, const float* a, const float* b, float* out, const cpu::Strided<2>& plan) {
  const DevicePlan<2> p = device_plan(plan);
  if (p.total == 0) return;
  binary_kernel<<<blocks_for(p.total), kThreads, 0, stream()>>>(op, a, b, out, p);
  check_launch("binary");
}

void where(const float* cond, const float* a, const float* b, float* out, const cpu::Strided<3>& plan) {
  const DevicePlan<3> p = device_plan(plan);
  if (p.total == 0) return;
  where_kernel<<<blocks_for(p.total), kThreads, 0, stream()>>>(cond, a, b, out, p);
  check_launch("where");
}

void broadcast(const float* x, float* out, const cpu::Strided<1>& plan) {
  const DevicePlan<1> p = device_plan(plan);
  if (p.total == 0) return;
  broadcast_kernel<<<blocks_for(p.total), kThreads, 0, stream()>>>(x, out, p);
  check_launch("broadcast");
}

}  // namespace tensile::cuda
