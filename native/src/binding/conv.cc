#include "../kernels/cpu/conv.h"

#include "args.h"
#include "bindings.h"
#include "deferred.h"
#include "geometry.h"

namespace tensile::binding {

// conv2dF32(x, w, b, out, geom, act): out = act(conv2d(x, w) + b); b empty for no bias.
Napi::Value Conv2dF32(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dF32");
  args.expectCount(6);
  F32 x = args.f32(0, "x"), w = args.f32(1, "w"), b = args.f32(2, "b"), out = args.f32(3, "out");
  const cpu::Conv2dDims d = conv_geometry(args, 4);
  const auto act = cpu::DenseAct(args.code(5, "act", cpu::kDenseActCount));
  args.expectLength(x, args.product({d.n, d.h, d.w, d.c}, "n*h*w*c"), "n*h*w*c");
  args.expectLength(w, args.product({d.kh, d.kw, d.c, d.cout}, "kh*kw*c*cout"), "kh*kw*c*cout");
  if (b.length != 0) args.expectLength(b, d.cout, "cout");
  args.expectLength(out, args.product({d.n, d.oh, d.ow, d.cout}, "n*oh*ow*cout"), "n*oh*ow*cout");
  args.expectDistinct(out, {&x, &w, &b});
  run([=] { cpu::conv2d(x.data, w.data, optional(b), out.data, d, act); });
  return info.Env().Undefined();
}

// conv2dBackwardF32(x, w, y, dy, dx, dw, db, geom, act): the gradients of conv2dF32; an empty dx, dw or db is skipped.
Napi::Value Conv2dBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dBackwardF32");
  args.expectCount(9);
  F32 x = args.f32(0, "x"), w = args.f32(1, "w"), y = args.f32(2, "y"), dy = args.f32(3, "dy");
  F32 dx = args.f32(4, "dx"), dw = args.f32(5, "dw"), db = args.f32(6, "db");
  const cpu::Conv2dDims d = conv_geometry(args, 7);
  const auto act = cpu::DenseAct(args.code(8, "act", cpu::kDenseActCount));
  const size_t xn = args.product({d.n, d.h, d.w, d.c}, "n*h*w*c");
  const size_t wn = args.product({d.kh, d.kw, d.c, d.cout}, "kh*kw*c*cout");
  const size_t yn = args.product({d.n, d.oh, d.ow, d.cout}, "n*oh*ow*cout");
  args.expectLength(x, xn, "n*h*w*c");
  args.expectLength(w, wn, "kh*kw*c*cout");
  args.expectLength(y, yn, "n*oh*ow*cout");
  args.expectLength(dy, yn, "n*oh*ow*cout");
  if (dx.length != 0) args.expectLength(dx, xn, "n*h*w*c");
  if (dw.length != 0) args.expectLength(dw, wn, "kh*kw*c*cout");
  if (db.length != 0) args.expectLength(db, d.cout, "cout");
  for (const F32* o : {&dx, &dw, &db}) args.expectDistinct(*o, {&x, &w, &y, &dy});
  args.expectDistinct(dx, {&dw, &db});
  args.expectDistinct(dw, {&db});
  run([=] { cpu::conv2d_backward(x.data, w.data, y.data, dy.data, optional(dx), optional(dw), optional(db), d, act); });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
