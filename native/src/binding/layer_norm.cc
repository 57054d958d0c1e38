#include "../kernels/cpu/layer_norm.h"

#include "args.h"
#include "bindings.h"
#include "deferred.h"
#include "norm_backward.h"

namespace tensile::binding {

// layerNormF32(x, gamma, beta, out, mean, rstd, rows, cols, eps): layer normalization of [rows, cols] over cols;
// gamma, beta empty for none.
Napi::Value LayerNormF32(const Napi::CallbackInfo& info) {
  Args args(info, "layerNormF32");
  args.expectCount(9);
  F32 x = args.f32(0, "x"), gamma = args.f32(1, "gamma"), beta = args.f32(2, "beta"), out = args.f32(3, "out");
  F32 mean = args.f32(4, "mean"), rstd = args.f32(5, "rstd");
  const size_t rows = args.dim(6, "rows"), cols = args.dim(7, "cols");
  const double eps = args.number(8, "eps");
  if (!(eps >= 0)) args.fail("eps must be a non-negative number", true);
  const size_t size = args.product({rows, cols}, "rows*cols");
  args.expectLength(x, size, "rows*cols");
  args.expectLength(out, size, "rows*cols");
  if (gamma.length != 0) args.expectLength(gamma, cols, "cols");
  if (beta.length != 0) args.expectLength(beta, cols, "cols");
  args.expectLength(mean, rows, "rows");
  args.expectLength(rstd, rows, "rows");
  for (const F32* o : {&out, &mean, &rstd}) args.expectDistinct(*o, {&x, &gamma, &beta});
  args.expectDistinct(out, {&mean, &rstd});
  args.expectDistinct(mean, {&rstd});
  run([=] {
    cpu::layer_norm(x.data, optional(gamma), optional(beta), out.data, mean.data, rstd.data, rows, cols, float(eps));
  });
  return info.Env().Undefined();
}

// layerNormBackwardF32(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, cols): the gradients of layerNormF32;
// an empty dx, dgamma or dbeta is skipped.
Napi::Value LayerNormBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "layerNormBackwardF32");
  const NormBackward a = normBackward(args, /*statsPerColumn=*/false);
  run([=] {
    cpu::layer_norm_backward(a.x.data, optional(a.gamma), a.mean.data, a.rstd.data, a.dy.data, optional(a.dx),
                             optional(a.dgamma), optional(a.dbeta), a.rows, a.cols);
  });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
