// cuBLAS, loaded at run time with dlopen and our own prototypes of the few functions used: the
// toolkit on the build machines has no cuBLAS, and the addon must load where none is installed.
// Candidates (from lib/backend/cuda/cublas-path.ts): TENSILE_CUBLAS_PATH, the plain soname, then the
// Python nvidia wheel's lib folders. One handle per thread, bound to tensile's stream.
#include <dlfcn.h>

#include <mutex>

#include "common.cuh"

namespace tensile::cuda {
namespace {

using Handle = void*;
using Status = int;                                // cublasStatus_t: 0 is CUBLAS_STATUS_SUCCESS
constexpr int kOpN = 0, kOpT = 1;                  // cublasOperation_t
constexpr int kDefaultMath = 0, kTf32Math = 3;     // cublasMath_t: CUBLAS_DEFAULT_MATH, CUBLAS_TF32_TENSOR_OP_MATH
constexpr int kMajor = 0, kMinor = 1, kPatch = 2;  // libraryPropertyType

struct Api {
  Status (*create)(Handle*) = nullptr;
  Status (*set_stream)(Handle, cudaStream_t) = nullptr;
  Status (*set_math_mode)(Handle, int) = nullptr;
  Status (*get_property)(int, int*) = nullptr;
  const char* (*status_name)(Status) = nullptr;
  Status (*sgemm)(Handle, int, int, int, int, int, const float*, const float*, int, const float*, int, const float*,
                  float*, int) = nullptr;
};

std::mutex mu;
Api api;
CublasInfo state;

template <class F>
bool bind(void* lib, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(lib, name));
  return f != nullptr;
}

std::string status_text(Status s) { return api.status_name ? api.status_name(s) : "cublasStatus " + std::to_string(s); }

void check_cublas(Status s, const char* what) {
  if (s != 0) throw Error(std::string(what) + ": " + status_text(s));
}

Handle handle() {
  thread_local Handle h = nullptr;
  if (!h) {
    if (!state.loaded) throw Error("gemm: cuBLAS is not loaded (" + state.error + ")");
    check_cublas(api.create(&h), "cublasCreate");
    check_cublas(api.set_stream(h, stream()), "cublasSetStream");
  }
  return h;
}

}  // namespace

CublasInfo load_cublas(const std::vector<std::string>& candidates) noexcept {
  std::lock_guard<std::mutex> lock(mu);
  if (state.loaded) return state;
  std::string tried;
  for (const std::string& path : candidates) {
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* e = dlerror();
      tried += "\n  " + path + ": " + (e ? e : "not found");
      continue;
    }
    Api a;
    const bool ok = bind(lib, "cublasCreate_v2", a.create) && bind(lib, "cublasSetStream_v2", a.set_stream) &&
                    bind(lib, "cublasSetMathMode", a.set_math_mode) && bind(lib, "cublasGetProperty", a.get_property) &&
                    bind(lib, "cublasSgemm_v2", a.sgemm);
    if (!ok) {
      tried += "\n  " + path + ": opened, but a cuBLAS function is missing";
      dlclose(lib);
      continue;
    }
    bind(lib, "cublasGetStatusName", a.status_name);  // optional (cuBLAS ≥ 11.4)
    api = a;
    int major = 0, minor = 0, patch = 0;
    api.get_property(kMajor, &major);
    api.get_property(kMinor, &minor);
    api.get_property(kPatch, &patch);
    state = CublasInfo{true, path, major * 10000 + minor * 100 + patch, ""};
    return state;
  }
  state.error = "no cuBLAS found; tried:" + (tried.empty() ? std::string(" nothing") : tried);
  return state;
}

CublasInfo cublas_info() noexcept {
  std::lock_guard<std::mutex> lock(mu);
  return state;
}

void gemm(bool trans_a, bool trans_b, size_t m, size_t n, size_t k, float alpha, const float* a, const float* b,
          float beta, float* c, bool tf32) {
  if (m == 0 || n == 0) return;
  if (k == 0) {  // C = beta·C: cuBLAS would too, but say it plainly (and beta 0 must not read C)
    if (beta == 0) fill(c, m * n, 0.f);
    else if (beta != 1) throw Error("gemm: k = 0 with beta ∉ {0, 1} is not supported on the GPU");
    return;
  }
  Handle h = handle();
  check_cublas(api.set_math_mode(h, tf32 ? kTf32Math : kDefaultMath), "cublasSetMathMode");
  // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands, keep the flags.
  const int lda = trans_a ? int(m) : int(k), ldb = trans_b ? int(k) : int(n);
  check_cublas(api.sgemm(h, trans_b ? kOpT : kOpN, trans_a ? kOpT : kOpN, int(n), int(m), int(k), &alpha, b, ldb, a,
                         lda, &beta, c, int(n)),
               "cublasSgemm");
}

}  // namespace tensile::cuda
