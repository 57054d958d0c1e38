#include "../kernels/cpu/dense.h"

#include "args.h"
#include "bindings.h"
#include "deferred.h"

namespace tensile::binding {

// denseF32(x, w, b, out, m, k, n, act): out = act(x·w + b); b empty for no bias.
Napi::Value DenseF32(const Napi::CallbackInfo& info) {
  Args args(info, "denseF32");
  args.expectCount(8);
  F32 x = args.f32(0, "x"), w = args.f32(1, "w"), b = args.f32(2, "b"), out = args.f32(3, "out");
  const size_t m = args.dim(4, "m"), k = args.dim(5, "k"), n = args.dim(6, "n");
  const auto act = cpu::DenseAct(args.code(7, "act", cpu::kDenseActCount));
  args.expectLength(x, args.product({m, k}, "m*k"), "m*k");
  args.expectLength(w, args.product({k, n}, "k*n"), "k*n");
  if (b.length != 0) args.expectLength(b, n, "n");
  args.expectLength(out, args.product({m, n}, "m*n"), "m*n");
  args.expectDistinct(out, {&x, &w, &b});
  run([=] { cpu::dense(x.data, w.data, optional(b), out.data, {m, k, n}, act); });
  return info.Env().Undefined();
}

// denseBackwardF32(x, w, y, dy, dx, dw, db, m, k, n, act): the gradients of denseF32; an empty dx, dw or db is skipped.
Napi::Value DenseBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "denseBackwardF32");
  args.expectCount(11);
  F32 x = args.f32(0, "x"), w = args.f32(1, "w"), y = args.f32(2, "y"), dy = args.f32(3, "dy");
  F32 dx = args.f32(4, "dx"), dw = args.f32(5, "dw"), db = args.f32(6, "db");
  const size_t m = args.dim(7, "m"), k = args.dim(8, "k"), n = args.dim(9, "n");
  const auto act = cpu::DenseAct(args.code(10, "act", cpu::kDenseActCount));
  const size_t mk = args.product({m, k}, "m*k"), kn = args.product({k, n}, "k*n"), mn = args.product({m, n}, "m*n");
  args.expectLength(x, mk, "m*k");
  args.expectLength(w, kn, "k*n");
  args.expectLength(y, mn, "m*n");
  args.expectLength(dy, mn, "m*n");
  if (dx.length != 0) args.expectLength(dx, mk, "m*k");
  if (dw.length != 0) args.expectLength(dw, kn, "k*n");
  if (db.length != 0) args.expectLength(db, n, "n");
  for (const F32* o : {&dx, &dw, &db}) args.expectDistinct(*o, {&x, &w, &y, &dy});
  args.expectDistinct(dx, {&dw, &db});
  args.expectDistinct(dw, {&db});
  run([=] {
    cpu::dense_backward(x.data, w.data, y.data, dy.data, optional(dx), optional(dw), optional(db), {m, k, n}, act);
  });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
