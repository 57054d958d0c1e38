#include "../kernels/cpu/mlp.h"

#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"
#include "deferred.h"

namespace tensile::binding {

namespace {
constexpr size_t kMaxLayers = 64;
constexpr const char* kSlot[2] = {"w", "b"};
// Layer l's (k, n, act) from dims at `at`, checked: a dense activation code, no zero size, taking what layer l − 1
// gives.
template <class Ints>
cpu::MlpLayer layerSizes(const Args& args, const Ints& dims, size_t at, size_t l, const cpu::MlpLayer* previous) {
  const size_t k = dims[at], n = dims[at + 1], act = dims[at + 2];
  if (act >= cpu::kDenseActCount)
    args.fail("act of layer " + std::to_string(l) + " is not a dense activation code", true);
  if (k == 0 || n == 0) args.fail("layer " + std::to_string(l) + " has a zero size", true);
  if (previous && k != previous->n)
    args.fail("layer " + std::to_string(l) + " takes " + std::to_string(k) + " inputs but layer " +
                  std::to_string(l - 1) + " gives " + std::to_string(previous->n),
              true);
  return cpu::MlpLayer{nullptr, nullptr, k, n, cpu::DenseAct(act)};
}

// Argument i, layer l's array `name`, a Float32Array.
F32 layerArray(const Args& args, size_t i, size_t l, const char* name) {
  return args.f32Named(i, name, [&] {
    return std::string(name) + " of layer " + std::to_string(l) + " (argument " + std::to_string(i) + ")";
  });
}
}  // namespace

// mlpForwardF32(x, out, dims, w0, b0, w1, b1, ...): a dense stack's inference forward (kernels/cpu/mlp.h).
// dims: Float64Array [rows, k0, n0, act0, k1, ...]; b empty for no bias. out [rows, n_last].
Napi::Value MlpForwardF32(const Napi::CallbackInfo& info) {
  Args args(info, "mlpForwardF32");
  kernelOnly(args);
  args.expectCount(3);
  F32 x = args.f32(0, "x"), out = args.f32(1, "out");
  const auto dims = args.ints<1 + 3 * kMaxLayers>(2, "dims", double(std::numeric_limits<int32_t>::max()));
  if (dims.size < 4 || (dims.size - 1) % 3 != 0)
    args.fail("dims must hold rows then (k, n, act) per layer, got " + std::to_string(dims.size) + " entries", true);
  const size_t count = (dims.size - 1) / 3, rows = dims[0];
  if (info.Length() - 3 != 2 * count)
    args.fail(
        std::to_string(info.Length() - 3) + " arrays after dims, expected 2 per layer = " + std::to_string(2 * count),
        true);
  std::vector<cpu::MlpLayer> layers(count);
  for (size_t l = 0; l < count; ++l) {
    cpu::MlpLayer& L = layers[l];
    L = layerSizes(args, dims, 1 + 3 * l, l, l ? &layers[l - 1] : nullptr);
    const size_t k = L.k, n = L.n;
    const F32 a[2] = {layerArray(args, 3 + 2 * l, l, kSlot[0]), layerArray(args, 4 + 2 * l, l, kSlot[1])};
    args.expectLength(a[0], args.product({k, n}, "k*n"), "k*n");
    if (a[1].length != 0) args.expectLength(a[1], n, "n");
    args.expectApart(out, a[0]);
    args.expectApart(out, a[1]);
    L.w = a[0].data;
    L.b = a[1].length ? a[1].data : nullptr;
  }
  args.expectLength(x, args.product({rows, layers[0].k}, "rows*k0"), "rows*k0");
  args.expectLength(out, args.product({rows, layers[count - 1].n}, "rows*n_last"), "rows*n_last");
  args.expectApart(out, x);
  if (rows != 0) cpu::mlp_forward(x.data, layers.data(), count, rows, out.data);
  return info.Env().Undefined();
}

}  // namespace tensile::binding
