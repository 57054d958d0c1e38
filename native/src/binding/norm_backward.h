// The arguments of batch and layer normalization's backward bindings, checked once for both:
// (x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, cols); an empty gamma, dx, dgamma or dbeta means "none".
#pragma once
#include "args.h"

namespace tensile::binding {

struct NormBackward {
  F32 x, gamma, mean, rstd, dy, dx, dgamma, dbeta;
  size_t rows, cols;
};

// mean and rstd hold one entry a column (batch normalization) or a row (layer normalization).
inline NormBackward normBackward(const Args& args, bool statsPerColumn) {
  args.expectCount(10);
  NormBackward a{args.f32(0, "x"),    args.f32(1, "gamma"), args.f32(2, "mean"),   args.f32(3, "rstd"),
                 args.f32(4, "dy"),   args.f32(5, "dx"),    args.f32(6, "dgamma"), args.f32(7, "dbeta"),
                 args.dim(8, "rows"), args.dim(9, "cols")};
  const size_t size = args.product({a.rows, a.cols}, "rows*cols");
  args.expectLength(a.x, size, "rows*cols");
  args.expectLength(a.dy, size, "rows*cols");
  if (a.gamma.length != 0) args.expectLength(a.gamma, a.cols, "cols");
  args.expectLength(a.mean, statsPerColumn ? a.cols : a.rows, statsPerColumn ? "cols" : "rows");
  args.expectLength(a.rstd, statsPerColumn ? a.cols : a.rows, statsPerColumn ? "cols" : "rows");
  if (a.dx.length != 0) args.expectLength(a.dx, size, "rows*cols");
  if (a.dgamma.length != 0) args.expectLength(a.dgamma, a.cols, "cols");
  if (a.dbeta.length != 0) args.expectLength(a.dbeta, a.cols, "cols");
  for (const F32* o : {&a.dx, &a.dgamma, &a.dbeta}) args.expectDistinct(*o, {&a.x, &a.gamma, &a.mean, &a.rstd, &a.dy});
  args.expectDistinct(a.dx, {&a.dgamma, &a.dbeta});
  args.expectDistinct(a.dgamma, {&a.dbeta});
  return a;
}

}  // namespace tensile::binding
