#include "../kernels/cpu/reduce.h"

#include "args.h"
#include "bindings.h"
#include "deferred.h"

namespace tensile::binding {

namespace {
// x is [outer, n, inner], out is [outer, inner].
cpu::ReduceShape readDims(const Args& args, size_t first, const F32& x, const F32& out) {
  const size_t outer = args.dim(first, "outer"), n = args.dim(first + 1, "n"), inner = args.dim(first + 2, "inner");
  args.expectLength(x, args.product({outer, n, inner}, "outer*n*inner"), "outer*n*inner");
  args.expectLength(out, args.product({outer, inner}, "outer*inner"), "outer*inner");
  args.expectDistinct(out, {&x});
  return {outer, n, inner};
}
}  // namespace

// reduceF32(code, x, out, outer, n, inner, ordered): reduce the middle axis, code from REDUCE_OPS; ordered sums in
// the reference's order (cpu::reduce).
Napi::Value ReduceF32(const Napi::CallbackInfo& info) {
  Args args(info, "reduceF32");
  args.expectCount(7);
  const size_t code = args.code(0, "op", cpu::kReduceCount);
  F32 x = args.f32(1, "x"), out = args.f32(2, "out");
  const cpu::ReduceShape s = readDims(args, 3, x, out);
  const bool ordered = args.flag(6, "ordered");
  run([=] { cpu::reduce(cpu::ReduceOp(code), x.data, out.data, s, ordered); });
  return info.Env().Undefined();
}

// argmaxF32(x, out, outer, n, inner): index of the first maximum (first NaN) along the middle axis.
Napi::Value ArgmaxF32(const Napi::CallbackInfo& info) {
  Args args(info, "argmaxF32");
  args.expectCount(5);
  F32 x = args.f32(0, "x"), out = args.f32(1, "out");
  const cpu::ReduceShape s = readDims(args, 2, x, out);
  run([=] { cpu::argmax(x.data, out.data, s); });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
