#include "../kernels/cpu/softmax.h"

#include "args.h"
#include "bindings.h"

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
  cpu::softmax(x.data, out.data, rows, cols, log);
  return info.Env().Undefined();
}

}  // namespace tensile::binding
