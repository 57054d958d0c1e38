#include "../kernels/cpu/batch_norm.h"

#include "args.h"
#include "bindings.h"
#include "deferred.h"
#include "norm_backward.h"

namespace tensile::binding {

// batchNormF32(x, gamma, beta, out, mean, variance, rstd, rows, cols, eps): batch normalization in training of
// [rows, cols] over rows, with the batch statistics [cols] kept; gamma, beta empty for none.
Napi::Value BatchNormF32(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormF32");
  args.expectCount(10);
  F32 x = args.f32(0, "x"), gamma = args.f32(1, "gamma"), beta = args.f32(2, "beta"), out = args.f32(3, "out");
  F32 mean = args.f32(4, "mean"), variance = args.f32(5, "variance"), rstd = args.f32(6, "rstd");
  const size_t rows = args.dim(7, "rows"), cols = args.dim(8, "cols");
  const double eps = args.number(9, "eps");
  if (!(eps >= 0)) args.fail("eps must be a non-negative number", true);
  const size_t size = args.product({rows, cols}, "rows*cols");
  args.expectLength(x, size, "rows*cols");
  args.expectLength(out, size, "rows*cols");
  if (gamma.length != 0) args.expectLength(gamma, cols, "cols");
  if (beta.length != 0) args.expectLength(beta, cols, "cols");
  args.expectLength(mean, cols, "cols");
  args.expectLength(variance, cols, "cols");
  args.expectLength(rstd, cols, "cols");
  for (const F32* o : {&out, &mean, &variance, &rstd}) args.expectDistinct(*o, {&x, &gamma, &beta});
  args.expectDistinct(out, {&mean, &variance, &rstd});
  args.expectDistinct(mean, {&variance, &rstd});
  args.expectDistinct(variance, {&rstd});
  run([=] {
    cpu::batch_norm(x.data, optional(gamma), optional(beta), out.data, mean.data, variance.data, rstd.data, rows, cols,
                    float(eps));
  });
  return info.Env().Undefined();
}

// batchNormBackwardF32(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, cols): the gradients of batchNormF32
// (through the batch statistics); an empty dx, dgamma or dbeta is skipped.
Napi::Value BatchNormBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormBackwardF32");
  const NormBackward a = normBackward(args, /*statsPerColumn=*/true);
  run([=] {
    cpu::batch_norm_backward(a.x.data, optional(a.gamma), a.mean.data, a.rstd.data, a.dy.data, optional(a.dx),
                             optional(a.dgamma), optional(a.dbeta), a.rows, a.cols);
  });
  return info.Env().Undefined();
}

// movingAverageF32(avg, x, momentum): avg = avg·momentum + x·(1 − momentum) in place (batch normalization's
// moving statistics), in float32 steps.
Napi::Value MovingAverageF32(const Napi::CallbackInfo& info) {
  Args args(info, "movingAverageF32");
  args.expectCount(3);
  F32 avg = args.f32(0, "avg"), x = args.f32(1, "x");
  const double momentum = args.number(2, "momentum");
  if (!(momentum >= 0 && momentum <= 1)) args.fail("momentum must be a number in [0, 1]", true);
  args.expectLength(x, avg.length, "the length of avg");
  args.expectDistinct(avg, {&x});
  run([=] { cpu::moving_average(avg.data, x.data, avg.length, float(momentum), float(1.0 - momentum)); });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
