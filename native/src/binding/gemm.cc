#include "../kernels/cpu/gemm.h"

#include <cstdint>
#include <string>

#include "args.h"
#include "bindings.h"
#include "deferred.h"

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
  run([=] { cpu::gemm({transA, transB, m, n, k}, float(alpha), a.data, b.data, float(beta), c.data); });
  return info.Env().Undefined();
}

// gemmBatchedF32(a, b, c, m, n, k, transA, transB, alpha, beta, batch, strideA, strideB): for each i < batch,
// c[i·m·n ..] = alpha·op(a[i·strideA ..])·op(b[i·strideB ..]) + beta·c[i·m·n ..].
Napi::Value GemmBatchedF32(const Napi::CallbackInfo& info) {
  Args args(info, "gemmBatchedF32");
  args.expectCount(13);
  F32 a = args.f32(0, "a"), b = args.f32(1, "b"), c = args.f32(2, "c");
  const size_t m = args.dim(3, "m"), n = args.dim(4, "n"), k = args.dim(5, "k");
  const bool transA = args.flag(6, "transA"), transB = args.flag(7, "transB");
  const double alpha = args.number(8, "alpha"), beta = args.number(9, "beta");
  const size_t batch = args.dim(10, "batch"), strideA = args.dim(11, "strideA"), strideB = args.dim(12, "strideB");
  const size_t mk = args.product({m, k}, "m*k"), kn = args.product({k, n}, "k*n");
  args.expectLength(c, args.product({batch, m, n}, "batch*m*n"), "batch*m*n");
  if (batch > 0) {
    // The last operand must end inside its array: (batch − 1)·stride + size.
    const size_t lastA = args.product({batch - 1, strideA}, "(batch-1)*strideA"),
                 lastB = args.product({batch - 1, strideB}, "(batch-1)*strideB");
    if (lastA > SIZE_MAX - mk || lastB > SIZE_MAX - kn) args.fail("strides overflow", true);
    if (a.length < lastA + mk)
      args.fail("a has " + std::to_string(a.length) +
                    " elements, expected at least (batch-1)*strideA + m*k = " + std::to_string(lastA + mk),
                true);
    if (b.length < lastB + kn)
      args.fail("b has " + std::to_string(b.length) +
                    " elements, expected at least (batch-1)*strideB + k*n = " + std::to_string(lastB + kn),
                true);
  }
  args.expectDistinct(c, {&a, &b});
  run([=] {
    cpu::gemm_batched({transA, transB, m, n, k}, float(alpha), a.data, b.data, float(beta), c.data, batch, strideA,
                      strideB);
  });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
