#include "../kernels/cpu/pool.h"

#include <limits>

#include "args.h"
#include "bindings.h"
#include "deferred.h"
#include "geometry.h"

namespace tensile::binding {

namespace {
struct Sizes {
  size_t in, out;
};
Sizes sizes(const Args& args, const cpu::Pool2dDims& d) {
  return {args.product({d.n, d.h, d.w, d.c}, "n*h*w*c"), args.product({d.n, d.oh, d.ow, d.c}, "n*oh*ow*c")};
}

// Forward: (x, out, geom).
template <void (*Kernel)(const float*, float*, const cpu::Pool2dDims&) noexcept>
Napi::Value forward(const Napi::CallbackInfo& info, const char* fn) {
  Args args(info, fn);
  args.expectCount(3);
  F32 x = args.f32(0, "x"), out = args.f32(1, "out");
  const cpu::Pool2dDims d = pool_geometry(args, 2);
  const Sizes s = sizes(args, d);
  args.expectLength(x, s.in, "n*h*w*c");
  args.expectLength(out, s.out, "n*oh*ow*c");
  args.expectDistinct(out, {&x});
  run([=] { Kernel(x.data, out.data, d); });
  return info.Env().Undefined();
}
}  // namespace

// maxPool2dF32(x, out, geom) and avgPool2dF32(x, out, geom).
Napi::Value MaxPool2dF32(const Napi::CallbackInfo& info) { return forward<cpu::max_pool2d>(info, "maxPool2dF32"); }
Napi::Value AvgPool2dF32(const Napi::CallbackInfo& info) { return forward<cpu::avg_pool2d>(info, "avgPool2dF32"); }

// maxPool2dBackwardF32(x, dy, dx, geom): dx (overwritten) gets each window's dy at its first maximum.
Napi::Value MaxPool2dBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2dBackwardF32");
  args.expectCount(4);
  F32 x = args.f32(0, "x"), dy = args.f32(1, "dy"), dx = args.f32(2, "dx");
  const cpu::Pool2dDims d = pool_geometry(args, 3);
  const Sizes s = sizes(args, d);
  args.expectLength(x, s.in, "n*h*w*c");
  args.expectLength(dy, s.out, "n*oh*ow*c");
  args.expectLength(dx, s.in, "n*h*w*c");
  args.expectDistinct(dx, {&x, &dy});
  run([=] { cpu::max_pool2d_backward(x.data, dy.data, dx.data, d); });
  return info.Env().Undefined();
}

// avgPool2dBackwardF32(dy, dx, geom): dx (overwritten) gets each window's dy spread over its input pixels.
Napi::Value AvgPool2dBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "avgPool2dBackwardF32");
  args.expectCount(3);
  F32 dy = args.f32(0, "dy"), dx = args.f32(1, "dx");
  const cpu::Pool2dDims d = pool_geometry(args, 2);
  const Sizes s = sizes(args, d);
  args.expectLength(dy, s.out, "n*oh*ow*c");
  args.expectLength(dx, s.in, "n*h*w*c");
  args.expectDistinct(dx, {&dy});
  run([=] { cpu::avg_pool2d_backward(dy.data, dx.data, d); });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
