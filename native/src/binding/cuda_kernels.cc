// The CUDA bindings of the device kernels: one function per kernel, sizes checked as in the CPU bindings
// (the same Args checks on device views), CUDA failures turned into JS errors naming the function.
#include <string>

#include "../kernels/cuda/cuda.h"
#include "args.h"
#include "bindings.h"
#include "cuda_args.h"
#include "geometry.h"
#include "plan.h"

namespace tensile::binding {

// cudaGemm(a(3), b(3), c(3), m, n, k, transA, transB, alpha, beta, tf32), row-major as gemmF32.
Napi::Value CudaGemm(const Napi::CallbackInfo& info) {
  Args args(info, "cudaGemm");
  args.expectCount(17);
  F32 a = device(args, info, 0, "a"), b = device(args, info, 3, "b"), c = device(args, info, 6, "c");
  const size_t m = args.dim(9, "m"), n = args.dim(10, "n"), k = args.dim(11, "k");
  const bool ta = args.flag(12, "transA"), tb = args.flag(13, "transB"), tf32 = args.flag(16, "tf32");
  const float alpha = float(args.number(14, "alpha")), beta = float(args.number(15, "beta"));
  args.expectLength(a, args.product({m, k}, "m*k"), "m*k");
  args.expectLength(b, args.product({k, n}, "k*n"), "k*n");
  args.expectLength(c, args.product({m, n}, "m*n"), "m*n");
  args.expectDistinct(c, {&a, &b});
  return run(args, info, [&] { cuda::gemm(ta, tb, m, n, k, alpha, a.data, b.data, beta, c.data, tf32); });
}

// cudaUnary(code, x(3), out(3)).
Napi::Value CudaUnary(const Napi::CallbackInfo& info) {
  Args args(info, "cudaUnary");
  args.expectCount(7);
  const auto op = cpu::UnaryOp(args.code(0, "op", cpu::kUnaryCount));
  F32 x = device(args, info, 1, "x"), out = device(args, info, 4, "out");
  args.expectLength(out, x.length, "x's length");
  return run(args, info, [&] { cuda::unary(op, x.data, out.data, x.length); });
}

// cudaBinary(code, a(3), b(3), out(3), shape, aStrides, bStrides).
Napi::Value CudaBinary(const Napi::CallbackInfo& info) {
  Args args(info, "cudaBinary");
  args.expectCount(13);
  const auto op = cpu::BinaryOp(args.code(0, "op", cpu::kBinaryCount));
  F32 a = device(args, info, 1, "a"), b = device(args, info, 4, "b"), out = device(args, info, 7, "out");
  const auto plan = readPlan<2>(args, 10, {&a, &b}, {"aStrides", "bStrides"}, out);
  args.expectDistinct(out, {&a, &b});
  return run(args, info, [&] { cuda::binary(op, a.data, b.data, out.data, plan.view()); });
}

// cudaWhere(cond(3), a(3), b(3), out(3), shape, condStrides, aStrides, bStrides).
Napi::Value CudaWhere(const Napi::CallbackInfo& info) {
  Args args(info, "cudaWhere");
  args.expectCount(16);
  F32 c = device(args, info, 0, "cond"), a = device(args, info, 3, "a"), b = device(args, info, 6, "b");
  F32 out = device(args, info, 9, "out");
  const auto plan = readPlan<3>(args, 12, {&c, &a, &b}, {"condStrides", "aStrides", "bStrides"}, out);
  args.expectDistinct(out, {&c, &a, &b});
  return run(args, info, [&] { cuda::where(c.data, a.data, b.data, out.data, plan.view()); });
}

// cudaBroadcast(x(3), out(3), shape, xStrides).
Napi::Value CudaBroadcast(const Napi::CallbackInfo& info) {
  Args args(info, "cudaBroadcast");
  args.expectCount(8);
  F32 x = device(args, info, 0, "x"), out = device(args, info, 3, "out");
  const auto plan = readPlan<1>(args, 6, {&x}, {"xStrides"}, out);
  args.expectDistinct(out, {&x});
  return run(args, info, [&] { cuda::broadcast(x.data, out.data, plan.view()); });
}

namespace {
struct ReduceShape {
  size_t outer, n, inner;
};
ReduceShape reduce_shape(const Args& args, size_t i, const F32& x, const F32& out) {
  const ReduceShape r{args.dim(i, "outer"), args.dim(i + 1, "n"), args.dim(i + 2, "inner")};
  args.expectLength(x, args.product({r.outer, r.n, r.inner}, "outer*n*inner"), "outer*n*inner");
  args.expectLength(out, args.product({r.outer, r.inner}, "outer*inner"), "outer*inner");
  args.expectDistinct(out, {&x});
  return r;
}
}  // namespace

// cudaReduce(code, x(3), out(3), outer, n, inner).
Napi::Value CudaReduce(const Napi::CallbackInfo& info) {
  Args args(info, "cudaReduce");
  args.expectCount(10);
  const auto op = cpu::ReduceOp(args.code(0, "op", cpu::kReduceCount));
  F32 x = device(args, info, 1, "x"), out = device(args, info, 4, "out");
  const ReduceShape r = reduce_shape(args, 7, x, out);
  return run(args, info, [&] { cuda::reduce(op, x.data, out.data, r.outer, r.n, r.inner); });
}

// cudaArgmax(x(3), out(3), outer, n, inner).
Napi::Value CudaArgmax(const Napi::CallbackInfo& info) {
  Args args(info, "cudaArgmax");
  args.expectCount(9);
  F32 x = device(args, info, 0, "x"), out = device(args, info, 3, "out");
  const ReduceShape r = reduce_shape(args, 6, x, out);
  return run(args, info, [&] { cuda::argmax(x.data, out.data, r.outer, r.n, r.inner); });
}

// cudaSoftmax(x(3), out(3), rows, cols, log).
Napi::Value CudaSoftmax(const Napi::CallbackInfo& info) {
  Args args(info, "cudaSoftmax");
  args.expectCount(9);
  F32 x = device(args, info, 0, "x"), out = device(args, info, 3, "out");
  const size_t rows = args.dim(6, "rows"), cols = args.dim(7, "cols");
  const bool log = args.flag(8, "log");
  args.expectLength(x, args.product({rows, cols}, "rows*cols"), "rows*cols");
  args.expectLength(out, x.length, "rows*cols");
  args.expectDistinct(out, {&x});
  return run(args, info, [&] { cuda::softmax(x.data, out.data, rows, cols, log); });
}

// cudaBiasActivation(pre(3), bias(3), rows, cols, act): pre = act(pre + bias) in place; an empty bias is none.
Napi::Value CudaBiasActivation(const Napi::CallbackInfo& info) {
  Args args(info, "cudaBiasActivation");
  args.expectCount(9);
  F32 pre = device(args, info, 0, "pre"), bias = device(args, info, 3, "bias");
  const size_t rows = args.dim(6, "rows"), cols = args.dim(7, "cols");
  const auto act = cpu::DenseAct(args.code(8, "act", cpu::kDenseActCount));
  args.expectLength(pre, args.product({rows, cols}, "rows*cols"), "rows*cols");
  if (bias.length != 0) args.expectLength(bias, cols, "cols");
  args.expectDistinct(pre, {&bias});
  return run(args, info, [&] { cuda::bias_activation(pre.data, optional(bias), rows, cols, act); });
}

// cudaActivationBackward(y(3), dy(3), dpre(3), rows, cols, act): dpre = dy ⊙ act'(y).
Napi::Value CudaActivationBackward(const Napi::CallbackInfo& info) {
  Args args(info, "cudaActivationBackward");
  args.expectCount(12);
  F32 y = device(args, info, 0, "y"), dy = device(args, info, 3, "dy"), dpre = device(args, info, 6, "dpre");
  const size_t rows = args.dim(9, "rows"), cols = args.dim(10, "cols");
  const auto act = cpu::DenseAct(args.code(11, "act", cpu::kDenseActCount));
  const size_t total = args.product({rows, cols}, "rows*cols");
  for (const F32* v : {&y, &dy, &dpre}) args.expectLength(*v, total, "rows*cols");
  args.expectDistinct(dpre, {&y, &dy});
  return run(args, info, [&] { cuda::activation_backward(y.data, dy.data, dpre.data, rows, cols, act); });
}

namespace {
// im2col/col2im: x-side view holds the whole batch, cols the rows of samples [b0, b1).
struct ColsCall {
  cpu::Conv2dDims d;
  size_t b0, b1;
};
ColsCall cols_call(const Args& args, size_t geomArg, const F32& image, const F32& cols) {
  const cpu::Conv2dDims d = conv_geometry(args, geomArg);
  const size_t b0 = args.dim(geomArg + 1, "b0"), b1 = args.dim(geomArg + 2, "b1");
  if (b0 > b1 || b1 > d.n)
    args.fail("need 0 ≤ b0 ≤ b1 ≤ n, got b0 = " + std::to_string(b0) + ", b1 = " + std::to_string(b1) +
                  ", n = " + std::to_string(d.n),
              true);
  args.expectLength(image, args.product({d.n, d.h, d.w, d.c}, "n*h*w*c"), "n*h*w*c");
  args.expectLength(cols, args.product({b1 - b0, d.oh, d.ow, d.kh, d.kw, d.c}, "(b1-b0)*oh*ow*kh*kw*c"),
                    "(b1-b0)*oh*ow*kh*kw*c");
  return {d, b0, b1};
}
}  // namespace

namespace {
// cudaIm2col(x(3), cols(3), geom, b0, b1) and cudaCol2im(cols(3), dx(3), geom, b0, b1) (adds onto dx): the image
// operand first or second, the cols operand the other.
template <bool ToCols>
Napi::Value cols_binding(const Napi::CallbackInfo& info, const char* fn) {
  Args args(info, fn);
  args.expectCount(9);
  F32 a = device(args, info, 0, ToCols ? "x" : "cols"), b = device(args, info, 3, ToCols ? "cols" : "dx");
  F32& image = ToCols ? a : b;
  F32& cols = ToCols ? b : a;
  const ColsCall c = cols_call(args, 6, image, cols);
  args.expectDistinct(b, {&a});
  return run(args, info, [&] {
    if (ToCols) cuda::im2col(image.data, cols.data, c.d, c.b0, c.b1);
    else cuda::col2im(cols.data, image.data, c.d, c.b0, c.b1);
  });
}
}  // namespace

Napi::Value CudaIm2col(const Napi::CallbackInfo& info) { return cols_binding<true>(info, "cudaIm2col"); }
Napi::Value CudaCol2im(const Napi::CallbackInfo& info) { return cols_binding<false>(info, "cudaCol2im"); }

// cudaPool2d(max, x(3), out(3), geom).
Napi::Value CudaPool2d(const Napi::CallbackInfo& info) {
  Args args(info, "cudaPool2d");
  args.expectCount(8);
  const bool max = args.flag(0, "max");
  F32 x = device(args, info, 1, "x"), out = device(args, info, 4, "out");
  const cpu::Pool2dDims d = pool_geometry(args, 7);
  args.expectLength(x, args.product({d.n, d.h, d.w, d.c}, "n*h*w*c"), "n*h*w*c");
  args.expectLength(out, args.product({d.n, d.oh, d.ow, d.c}, "n*oh*ow*c"), "n*oh*ow*c");
  args.expectDistinct(out, {&x});
  return run(args, info, [&] { cuda::pool2d(max, x.data, out.data, d); });
}

// cudaPool2dBackward(max, x(3), dy(3), dx(3), geom): dx overwritten.
Napi::Value CudaPool2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "cudaPool2dBackward");
  args.expectCount(11);
  const bool max = args.flag(0, "max");
  F32 x = device(args, info, 1, "x"), dy = device(args, info, 4, "dy"), dx = device(args, info, 7, "dx");
  const cpu::Pool2dDims d = pool_geometry(args, 10);
  const size_t in = args.product({d.n, d.h, d.w, d.c}, "n*h*w*c");
  args.expectLength(x, in, "n*h*w*c");
  args.expectLength(dx, in, "n*h*w*c");
  args.expectLength(dy, args.product({d.n, d.oh, d.ow, d.c}, "n*oh*ow*c"), "n*oh*ow*c");
  args.expectDistinct(dx, {&x, &dy});
  return run(args, info, [&] { cuda::pool2d_backward(max, x.data, dy.data, dx.data, d); });
}

// cudaAdamUpdate(param(3), grad(3), m(3), v(3), lr, beta1, beta2, epsilon, t, weightDecay).
Napi::Value CudaAdamUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "cudaAdamUpdate");
  args.expectCount(18);
  F32 p = device(args, info, 0, "param"), g = device(args, info, 3, "grad");
  F32 m = device(args, info, 6, "m"), v = device(args, info, 9, "v");
  for (const F32* s : {&g, &m, &v}) args.expectLength(*s, p.length, "param's length");
  args.expectDistinct(p, {&g, &m, &v});
  args.expectDistinct(m, {&g, &v});
  args.expectDistinct(v, {&g});
  const double lr = args.number(12, "lr"), b1 = args.number(13, "beta1"), b2 = args.number(14, "beta2");
  const double eps = args.number(15, "epsilon"), t = args.number(16, "t"), wd = args.number(17, "weightDecay");
  return run(args, info, [&] { cuda::adam(p.data, g.data, m.data, v.data, p.length, lr, b1, b2, eps, t, wd); });
}

// cudaSgdUpdate(param(3), grad(3), velocity(3), lr, momentum, nesterov): velocity empty when momentum is 0.
Napi::Value CudaSgdUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "cudaSgdUpdate");
  args.expectCount(12);
  F32 p = device(args, info, 0, "param"), g = device(args, info, 3, "grad"), vel = device(args, info, 6, "velocity");
  const double lr = args.number(9, "lr"), momentum = args.number(10, "momentum");
  const bool nesterov = args.flag(11, "nesterov");
  args.expectLength(g, p.length, "param's length");
  if (momentum != 0) args.expectLength(vel, p.length, "param's length");
  args.expectDistinct(p, {&g, &vel});
  args.expectDistinct(vel, {&g});
  return run(args, info, [&] { cuda::sgd(p.data, g.data, optional(vel), p.length, lr, momentum, nesterov); });
}

namespace {
// cudaCrossentropy(binary, y(3), p(3), out(3), rows, cols, eps) and cudaCrossentropyBackward(binary, y(3), p(3),
// dy(3), dp(3), rows, cols, eps): y and p [rows, cols]; out and dy [rows]; dp [rows, cols].
template <bool Backward>
Napi::Value crossentropy_binding(const Napi::CallbackInfo& info, const char* fn) {
  Args args(info, fn);
  constexpr size_t kViews = Backward ? 4 : 3;
  args.expectCount(1 + 3 * kViews + 3);
  const bool binary = args.flag(0, "binary");
  F32 y = device(args, info, 1, "y"), p = device(args, info, 4, "p");
  F32 third = device(args, info, 7, Backward ? "dy" : "out");
  F32 dp = Backward ? device(args, info, 10, "dp") : F32{};
  const size_t at = 1 + 3 * kViews;
  const size_t rows = args.dim(at, "rows"), cols = args.dim(at + 1, "cols");
  const double eps = args.number(at + 2, "eps");
  if (!(eps > 0 && eps < 0.5)) args.fail("eps must be in (0, 0.5)", true);
  const size_t total = args.product({rows, cols}, "rows*cols");
  args.expectLength(y, total, "rows*cols");
  args.expectLength(p, total, "rows*cols");
  args.expectLength(third, rows, "rows");
  if (Backward) {
    args.expectLength(dp, total, "rows*cols");
    args.expectDistinct(dp, {&y, &p, &third});
  } else {
    args.expectDistinct(third, {&y, &p});
  }
  return run(args, info, [&] {
    if (Backward) cuda::crossentropy_backward(binary, y.data, p.data, third.data, dp.data, rows, cols, float(eps));
    else cuda::crossentropy(binary, y.data, p.data, third.data, rows, cols, float(eps));
  });
}
}  // namespace

Napi::Value CudaCrossentropy(const Napi::CallbackInfo& info) {
  return crossentropy_binding<false>(info, "cudaCrossentropy");
}
Napi::Value CudaCrossentropyBackward(const Napi::CallbackInfo& info) {
  return crossentropy_binding<true>(info, "cudaCrossentropyBackward");
}

// cudaRmspropUpdate(param(3), grad(3), ms(3), mom(3), mg(3), lr, rho, momentum, epsilon, centered): mom empty when
// momentum is 0, mg empty unless centered.
Napi::Value CudaRmspropUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "cudaRmspropUpdate");
  args.expectCount(20);
  F32 p = device(args, info, 0, "param"), g = device(args, info, 3, "grad"), ms = device(args, info, 6, "ms");
  F32 mom = device(args, info, 9, "mom"), mg = device(args, info, 12, "mg");
  const double lr = args.number(15, "lr"), rho = args.number(16, "rho"), momentum = args.number(17, "momentum");
  const double eps = args.number(18, "epsilon");
  const bool centered = args.flag(19, "centered");
  args.expectLength(g, p.length, "param's length");
  args.expectLength(ms, p.length, "param's length");
  if (momentum > 0) args.expectLength(mom, p.length, "param's length");
  if (centered) args.expectLength(mg, p.length, "param's length");
  args.expectDistinct(p, {&g, &ms, &mom, &mg});
  args.expectDistinct(ms, {&g, &mom, &mg});
  args.expectDistinct(mom, {&g, &mg});
  args.expectDistinct(mg, {&g});
  return run(args, info, [&] {
    cuda::rmsprop(p.data, g.data, ms.data, momentum > 0 ? mom.data : nullptr, centered ? mg.data : nullptr, p.length,
                  lr, rho, momentum, eps, centered);
  });
}

// cudaAdagradUpdate(param(3), grad(3), acc(3), lr, epsilon).
Napi::Value CudaAdagradUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "cudaAdagradUpdate");
  args.expectCount(11);
  F32 p = device(args, info, 0, "param"), g = device(args, info, 3, "grad"), acc = device(args, info, 6, "acc");
  const double lr = args.number(9, "lr"), eps = args.number(10, "epsilon");
  args.expectLength(g, p.length, "param's length");
  args.expectLength(acc, p.length, "param's length");
  args.expectDistinct(p, {&g, &acc});
  args.expectDistinct(acc, {&g});
  return run(args, info, [&] { cuda::adagrad(p.data, g.data, acc.data, p.length, lr, eps); });
}

}  // namespace tensile::binding
