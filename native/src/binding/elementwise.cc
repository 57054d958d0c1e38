#include "../kernels/cpu/elementwise.h"

#include "args.h"
#include "bindings.h"
#include "deferred.h"
#include "plan.h"

namespace tensile::binding {

// unaryF32(code, x, out): out[i] = f(x[i]), code from UNARY_OPS.
Napi::Value UnaryF32(const Napi::CallbackInfo& info) {
  Args args(info, "unaryF32");
  args.expectCount(3);
  const size_t code = args.code(0, "op", cpu::kUnaryCount);
  F32 x = args.f32(1, "x"), out = args.f32(2, "out");
  args.expectLength(out, x.length, "x.length");
  args.expectDistinct(out, {&x});
  run([=] { cpu::unary(cpu::UnaryOp(code), x.data, out.data, x.length); });
  return info.Env().Undefined();
}

// binaryF32(code, a, b, out, shape, aStrides, bStrides): out = f(a, b) over a broadcast plan.
Napi::Value BinaryF32(const Napi::CallbackInfo& info) {
  Args args(info, "binaryF32");
  args.expectCount(7);
  const size_t code = args.code(0, "op", cpu::kBinaryCount);
  F32 a = args.f32(1, "a"), b = args.f32(2, "b"), out = args.f32(3, "out");
  const Plan<2> plan = readPlan<2>(args, 4, {&a, &b}, {"aStrides", "bStrides"}, out);
  args.expectDistinct(out, {&a, &b});
  run([=] { cpu::binary(cpu::BinaryOp(code), a.data, b.data, out.data, plan.view()); });
  return info.Env().Undefined();
}

// whereF32(cond, a, b, out, shape, condStrides, aStrides, bStrides): out = cond ≠ 0 ? a : b.
Napi::Value WhereF32(const Napi::CallbackInfo& info) {
  Args args(info, "whereF32");
  args.expectCount(8);
  F32 cond = args.f32(0, "cond"), a = args.f32(1, "a"), b = args.f32(2, "b"), out = args.f32(3, "out");
  const Plan<3> plan = readPlan<3>(args, 4, {&cond, &a, &b}, {"condStrides", "aStrides", "bStrides"}, out);
  args.expectDistinct(out, {&cond, &a, &b});
  run([=] { cpu::where(cond.data, a.data, b.data, out.data, plan.view()); });
  return info.Env().Undefined();
}

// broadcastF32(x, out, shape, xStrides): out = x read through its plan strides (broadcastTo).
Napi::Value BroadcastF32(const Napi::CallbackInfo& info) {
  Args args(info, "broadcastF32");
  args.expectCount(4);
  F32 x = args.f32(0, "x"), out = args.f32(1, "out");
  const Plan<1> plan = readPlan<1>(args, 2, {&x}, {"xStrides"}, out);
  args.expectDistinct(out, {&x});
  run([=] { cpu::broadcast(x.data, out.data, plan.view()); });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
