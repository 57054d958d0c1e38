// The CUDA runtime side: device queries, memory, copies and the one stream every kernel runs on.
// cudart is linked statically, so the addon loads where no driver exists; every call reports
// failure through check(), which throws tensile::cuda::Error with the CUDA error's name.
#include <cuda_runtime.h>

#include "common.cuh"

namespace tensile::cuda {

bool built() noexcept { return true; }

void check(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return;
  cudaGetLastError();  // clear a sticky-free error so the next call starts clean
  throw Error(std::string(what) + ": " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")");
}

void check_launch(const char* what) { check(cudaGetLastError(), what); }

cudaStream_t stream() {
  // One stream for everything tensile does: kernels, cuBLAS and copies are ordered on it, so no event
  // bookkeeping is needed; cudaStreamNonBlocking keeps it from synchronising with other libraries' work.
  static cudaStream_t s = [] {
    cudaStream_t created = nullptr;
    check(cudaStreamCreateWithFlags(&created, cudaStreamNonBlocking), "cudaStreamCreate");
    return created;
  }();
  return s;
}

RuntimeInfo runtime_info() noexcept {
  RuntimeInfo r;
  r.built = true;
  cudaRuntimeGetVersion(&r.runtime_version);
  if (cudaDriverGetVersion(&r.driver_version) != cudaSuccess) r.driver_version = 0;
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    cudaGetLastError();
    r.status = cudaGetErrorName(e);
    return r;
  }
  r.status = "ok";
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp p{};
    if (cudaGetDeviceProperties(&p, i) != cudaSuccess) continue;
    r.devices.push_back(Device{i, p.name, p.major, p.minor, p.totalGlobalMem, p.multiProcessorCount});
  }
  return r;
}

float* alloc(size_t count) {
  if (count == 0) return nullptr;
  void* p = nullptr;
  check(cudaMallocAsync(&p, count * sizeof(float), stream()), "cudaMallocAsync");
  return static_cast<float*>(p);
}

void free(float* p) noexcept {
  if (p) cudaFreeAsync(p, stream());
}

void upload(float* dst, const float* src, size_t count) {
  if (count == 0) return;
  // The host array belongs to V8 and may move or die once we return: copy synchronously.
  check(cudaMemcpyAsync(dst, src, count * sizeof(float), cudaMemcpyHostToDevice, stream()), "upload");
  check(cudaStreamSynchronize(stream()), "upload");
}

void download(float* dst, const float* src, size_t count) {
  if (count == 0) return;
  check(cudaMemcpyAsync(dst, src, count * sizeof(float), cudaMemcpyDeviceToHost, stream()), "download");
  check(cudaStreamSynchronize(stream()), "download");
}

void copy(float* dst, const float* src, size_t count) {
  if (count == 0) return;
  check(cudaMemcpyAsync(dst, src, count * sizeof(float), cudaMemcpyDeviceToDevice, stream()), "copy");
}

namespace {
__global__ void fill_kernel(float* dst, size_t n, float v) { TENSILE_GRID_LOOP(i, n) dst[i] = v; }
}  // namespace

void fill(float* dst, size_t count, float value) {
  if (count == 0) return;
  fill_kernel<<<blocks_for(count), kThreads, 0, stream()>>>(dst, count, value);
  check_launch("fill");
}

void synchronize() { check(cudaStreamSynchronize(stream()), "synchronize"); }

}  // namespace tensile::cuda
