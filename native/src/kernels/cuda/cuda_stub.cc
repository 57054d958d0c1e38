// Compiled when CMake finds no CUDA toolkit (or TENSILE_CUDA=OFF): the same functions as the CUDA
// build, so the addon exports the same names; each one that would touch a GPU throws.
#include "cuda.h"

namespace tensile::cuda {
namespace {
[[noreturn]] void unavailable() { throw Error("tensile was built without CUDA"); }
}  // namespace

bool built() noexcept { return false; }
RuntimeInfo runtime_info() noexcept {
  RuntimeInfo r;
  r.status = "not built";
  return r;
}
CublasInfo load_cublas(const std::vector<std::string>&) noexcept {
  return CublasInfo{false, "", 0, "tensile was built without CUDA"};
}
CublasInfo cublas_info() noexcept { return load_cublas({}); }

float* alloc(size_t) { unavailable(); }
void free(float*) noexcept {}
void upload(float*, const float*, size_t) { unavailable(); }
void download(float*, const float*, size_t) { unavailable(); }
void copy(float*, const float*, size_t) { unavailable(); }
void fill(float*, size_t, float) { unavailable(); }
void synchronize() { unavailable(); }
void gemm(bool, bool, size_t, size_t, size_t, float, const float*, const float*, float, float*, bool) { unavailable(); }
void unary(cpu::UnaryOp, const float*, float*, size_t) { unavailable(); }
void binary(cpu::BinaryOp, const float*, const float*, float*, const cpu::Strided<2>&) { unavailable(); }
void where(const float*, const float*, const float*, float*, const cpu::Strided<3>&) { unavailable(); }
void broadcast(const float*, float*, const cpu::Strided<1>&) { unavailable(); }
void reduce(cpu::ReduceOp, const float*, float*, size_t, size_t, size_t) { unavailable(); }
void argmax(const float*, float*, size_t, size_t, size_t) { unavailable(); }
void softmax(const float*, float*, size_t, size_t, bool) { unavailable(); }
void bias_activation(float*, const float*, size_t, size_t, cpu::DenseAct) { unavailable(); }
void activation_backward(const float*, const float*, float*, size_t, size_t, cpu::DenseAct) { unavailable(); }
void im2col(const float*, float*, const ConvGeom&, size_t, size_t) { unavailable(); }
void col2im(const float*, float*, const ConvGeom&, size_t, size_t) { unavailable(); }
void pool2d(bool, const float*, float*, const PoolGeom&) { unavailable(); }
void pool2d_backward(bool, const float*, const float*, float*, const PoolGeom&) { unavailable(); }
void adam(float*, const float*, float*, float*, size_t, double, double, double, double, double, double) {
  unavailable();
}
void sgd(float*, const float*, float*, size_t, double, double, bool) { unavailable(); }
void rmsprop(float*, const float*, float*, float*, float*, size_t, double, double, double, double, bool) {
  unavailable();
}
void adagrad(float*, const float*, float*, size_t, double, double) { unavailable(); }
void crossentropy(bool, const float*, const float*, float*, size_t, size_t, float) { unavailable(); }
void crossentropy_backward(bool, const float*, const float*, const float*, float*, size_t, size_t, float) {
  unavailable();
}

}  // namespace tensile::cuda
