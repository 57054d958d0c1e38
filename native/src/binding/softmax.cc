#include "../kernels/cpu/softmax.h"

#include "args.h"
#include "bindings.h"
#include "deferred.h"

namespace tensile::binding {

// softmaxF32(x, out, rows, cols, log): row-wise (log-)softmax of a [rows, cols] matrix.
Napi::Value SoftmaxF32(const Napi::CallbackInfo& info) {
  Args args(info, "softmaxF32");
  args.expectCount(5);
  F32 x = args.f32(0, "x"), out = args.f32(1, "out");
  const size_t rows = args.dim(2, "rows"), cols = args.dim(3, "cols");
  const bool log = args.flag(4, "log");
  const size_t size = args.product({rows, cols}, "rows*cols");
  args.expectLength(x, size, "rows*cols");
  args.expectLength(out, size, "rows*cols");
  args.expectDistinct(out, {&x});
  run([=] { cpu::softmax(x.data, out.data, rows, cols, log); });
  return info.Env().Undefined();
}

// maskedSoftmaxF32(x, mask, out, rows, cols, heads, inner): softmax of the entries where mask ≠ 0; mask
// [rows/(heads·inner)·inner, cols] shared by heads blocks of inner rows (cpu::masked_softmax); empty: plain softmax.
Napi::Value MaskedSoftmaxF32(const Napi::CallbackInfo& info) {
  Args args(info, "maskedSoftmaxF32");
  args.expectCount(7);
  F32 x = args.f32(0, "x"), mask = args.f32(1, "mask"), out = args.f32(2, "out");
  const size_t rows = args.dim(3, "rows"), cols = args.dim(4, "cols"), heads = args.dim(5, "heads"),
               inner = args.dim(6, "inner");
  const size_t size = args.product({rows, cols}, "rows*cols");
  args.expectLength(x, size, "rows*cols");
  args.expectLength(out, size, "rows*cols");
  if (mask.length != 0) {
    const size_t group = args.product({heads, inner}, "heads*inner");
    if (group == 0 || rows % group != 0) args.fail("rows must be a multiple of heads*inner (both positive)", true);
    args.expectLength(mask, args.product({rows / heads, cols}, "rows/heads*cols"), "rows/heads*cols");
  }
  args.expectDistinct(out, {&x, &mask});
  run([=] { cpu::masked_softmax(x.data, optional(mask), out.data, rows, cols, heads, inner); });
  return info.Env().Undefined();
}

// softmaxBackwardF32(y, dy, dx, rows, cols): dx = y ⊙ (dy − Σ dy⊙y) row by row.
Napi::Value SoftmaxBackwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "softmaxBackwardF32");
  args.expectCount(5);
  F32 y = args.f32(0, "y"), dy = args.f32(1, "dy"), dx = args.f32(2, "dx");
  const size_t rows = args.dim(3, "rows"), cols = args.dim(4, "cols");
  const size_t size = args.product({rows, cols}, "rows*cols");
  args.expectLength(y, size, "rows*cols");
  args.expectLength(dy, size, "rows*cols");
  args.expectLength(dx, size, "rows*cols");
  args.expectDistinct(dx, {&y, &dy});
  run([=] { cpu::softmax_backward(y.data, dy.data, dx.data, rows, cols); });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
