#include "../kernels/cpu/gemm.h"
#include "args.h"
#include "bindings.h"

namespace tensile::binding {

// gemmF32(a, b, c, m, n, k, transA, transB, alpha, beta): c = alpha·op(a)·op(b) + beta·c
Napi::Value GemmF32(const Napi::CallbackInfo& info) {
  Args args(info, "gemmF32");
  args.expectCount(10);
  F32 a = args.f32(0, "a"), b = args.f32(1, "b"), c = args.f32(2, "c");
  const size_t m = args.dim(3, "m"), n = args.dim(4, "n"), k = args.dim(5, "k");
  const bool transA = args.flag(6, "transA"), transB = args.flag(7, "transB");
  const double alpha = args.number(8, "alpha"), beta = args.number(9, "beta");
  args.expectLength(a, args.product({m, k}, "m*k"), "m*k");
  args.expectLength(b, args.product({k, n}, "k*n"), "k*n");
  args.expectLength(c, args.product({m, n}, "m*n"), "m*n");
  args.expectDistinct(c, {&a, &b});
  cpu::gemm({transA, transB, m, n, k}, float(alpha), a.data, b.data, float(beta), c.data);
  return info.Env().Undefined();
}

}  // namespace tensile::binding
