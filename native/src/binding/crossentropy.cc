#include "../kernels/cpu/crossentropy.h"

#include <cmath>
#include <string>

#include "args.h"
#include "bindings.h"
#include "deferred.h"

namespace tensile::binding {

namespace {
struct Rows {
  size_t rows, cols;
};
// y and p are [rows, cols]; kind is 0 (binary) or 1 (categorical); eps a finite number.
Rows readLoss(const Args& args, size_t kindArg, cpu::CrossentropyKind& kind, const F32& y, const F32& p, size_t rowsArg,
              double& eps) {
  kind = cpu::CrossentropyKind(args.code(kindArg, "kind", 2));
  const size_t rows = args.dim(rowsArg, "rows"), cols = args.dim(rowsArg + 1, "cols");
  eps = args.number(rowsArg + 2, "eps");
  if (!std::isfinite(eps)) args.fail("eps must be a finite number", true);
  const size_t n = args.product({rows, cols}, "rows*cols");
  args.expectLength(y, n, "rows*cols");
  args.expectLength(p, n, "rows*cols");
  return {rows, cols};
}
}  // namespace

// crossentropyF32(kind, y, p, out, rows, cols, eps): out[r] = row r's crossentropy of p against y (cpu::crossentropy).
Napi::Value CrossentropyF32(const Napi::CallbackInfo& info) {
  Args args(info, "crossentropyF32");
  args.expectCount(7);
  cpu::CrossentropyKind kind;
  double eps;
  F32 y = args.f32(1, "y"), p = args.f32(2, "p"), out = args.f32(3, "out");
  const Rows s = readLoss(args, 0, kind, y, p, 4, eps);
  args.expectLength(out, s.rows, "rows");
  args.expectDistinct(out, {&y, &p});
  run([=] { cpu::crossentropy(kind, y.data, p.data, out.data, s.rows, s.cols, eps); });
  return info.Env().Undefined();
}

// crossentropyBackwardF32(kind, y, p, dy, dp, rows, cols, eps): dp = dL/dp for the rows' upstream gradients dy.
Napi::Value CrossentropyBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "crossentropyBackwardF32");
  args.expectCount(8);
  cpu::CrossentropyKind kind;
  double eps;
  F32 y = args.f32(1, "y"), p = args.f32(2, "p"), dy = args.f32(3, "dy"), dp = args.f32(4, "dp");
  const Rows s = readLoss(args, 0, kind, y, p, 5, eps);
  args.expectLength(dy, s.rows, "rows");
  args.expectLength(dp, s.rows * s.cols, "rows*cols");
  args.expectDistinct(dp, {&y, &p, &dy});
  run([=] { cpu::crossentropy_backward(kind, y.data, p.data, dy.data, dp.data, s.rows, s.cols, eps); });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
