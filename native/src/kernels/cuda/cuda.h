// The CUDA side's entry points, callable from plain C++ (no CUDA headers here). With the toolkit they
// are implemented by runtime.cu, cublas.cc and the kernel .cu files; without it, cuda_stub.cc throws
// "tensile was built without CUDA" from every one of them. Pointers are device pointers; sizes were
// checked by the binding (native/src/binding/cuda.cc) before any of these is called. Every failure is
// a tensile::cuda::Error carrying the CUDA error name, never an abort.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "../cpu/conv.h"
#include "../cpu/kinds.h"
#include "../cpu/pool.h"
#include "../cpu/strided.h"

namespace tensile::cuda {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool built() noexcept;  // compiled with CUDA kernels

struct Device {
  int index = 0;
  std::string name;
  int major = 0, minor = 0;  // compute capability
  size_t memory = 0;         // bytes
  int multiprocessors = 0;
};

// What `tensile info` reports. Never throws: a missing driver is a state, not an error.
struct RuntimeInfo {
  bool built = false;
  int runtime_version = 0;  // cudart the addon was linked with, e.g. 13000
  int driver_version = 0;   // 0: no driver
  std::string status;       // "ok", or the CUDA error name (cudaErrorInsufficientDriver, cudaErrorNoDevice, ...)
  std::vector<Device> devices;
};
RuntimeInfo runtime_info() noexcept;

// cuBLAS, loaded with dlopen from the first candidate path that opens (names or full paths).
struct CublasInfo {
  bool loaded = false;
  std::string path;   // what was opened
  int version = 0;    // cublasGetProperty(MAJOR)·10000 + MINOR·100 + PATCH
  std::string error;  // why not, listing every candidate tried
};
CublasInfo load_cublas(const std::vector<std::string>& candidates) noexcept;
CublasInfo cublas_info() noexcept;

// Device memory (stream-ordered on the one stream tensile uses). free is safe on nullptr.
float* alloc(size_t count);
void free(float* p) noexcept;
void upload(float* dst, const float* src, size_t count);    // host → device, then waits
void download(float* dst, const float* src, size_t count);  // waits for pending kernels, device → host
void copy(float* dst, const float* src, size_t count);      // device → device
void fill(float* dst, size_t count, float value);
void synchronize();

// c = alpha·op(a)·op(b) + beta·c, row-major (as the CPU gemm); TF32 tensor cores when tf32.
void gemm(bool trans_a, bool trans_b, size_t m, size_t n, size_t k, float alpha, const float* a, const float* b,
          float beta, float* c, bool tf32);

// Element-wise, as the CPU kernels (kinds.h); a plan is the CPU one: merged shape, strides per operand.
void unary(cpu::UnaryOp op, const float* x, float* out, size_t n);
void binary(cpu::BinaryOp op, const float* a, const float* b, float* out, const cpu::Strided<2>& plan);
void where(const float* cond, const float* a, const float* b, float* out, const cpu::Strided<3>& plan);
void broadcast(const float* x, float* out, const cpu::Strided<1>& plan);

// Reductions over the middle axis of [outer, n, inner].
void reduce(cpu::ReduceOp op, const float* x, float* out, size_t outer, size_t n, size_t inner);
void argmax(const float* x, float* out, size_t outer, size_t n, size_t inner);
void softmax(const float* x, float* out, size_t rows, size_t cols, bool log);

// The pieces of a fused dense/conv layer around its GEMM: out = act(pre + bias) in place (bias may be
// null; softmax is row-wise), and dpre = dy ⊙ act'(y) from the activation's output.
void bias_activation(float* pre, const float* bias, size_t rows, size_t cols, cpu::DenseAct act);
void activation_backward(const float* y, const float* dy, float* dpre, size_t rows, size_t cols, cpu::DenseAct act);

// NHWC geometry as on the CPU (cpu::Conv2dDims, cpu::Pool2dDims).
using ConvGeom = cpu::Conv2dDims;
using PoolGeom = cpu::Pool2dDims;
// cols [n·oh·ow, kh·kw·c] of samples [b0, b1); col2im adds into dx (the caller zeroes it).
void im2col(const float* x, float* cols, const ConvGeom& d, size_t b0, size_t b1);
void col2im(const float* cols, float* dx, const ConvGeom& d, size_t b0, size_t b1);

void pool2d(bool max, const float* x, float* out, const PoolGeom& d);
// dx is overwritten.
void pool2d_backward(bool max, const float* x, const float* dy, float* dx, const PoolGeom& d);

// Crossentropy on probabilities per row (binary: mean over columns; categorical: p normalised first), p clipped
// to [eps, 1 − eps]; and its exact gradient scaled by dy [rows], zero where clipped.
void crossentropy(bool binary, const float* y, const float* p, float* out, size_t rows, size_t cols, float eps);
void crossentropy_backward(bool binary, const float* y, const float* p, const float* dy, float* dp, size_t rows,
                           size_t cols, float eps);

// Fused optimizer updates, in place (as the CPU kernels; velocity may be null when momentum is 0).
void adam(float* param, const float* grad, float* m, float* v, size_t n, double lr, double beta1, double beta2,
          double epsilon, double t, double weight_decay);
void sgd(float* param, const float* grad, float* velocity, size_t n, double lr, double momentum, bool nesterov);
// mom is null when momentum is 0, mg when not centered.
void rmsprop(float* param, const float* grad, float* ms, float* mom, float* mg, size_t n, double lr, double rho,
             double momentum, double epsilon, bool centered);
void adagrad(float* param, const float* grad, float* acc, size_t n, double lr, double epsilon);

}  // namespace tensile::cuda
