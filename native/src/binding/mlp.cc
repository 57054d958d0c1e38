#include "../kernels/cpu/mlp.h"

#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"

namespace tensile::binding {

namespace {
constexpr size_t kMaxLayers = 64;
constexpr const char* kSlot[] = {"w", "b", "dw", "db"};
}  // namespace

// mlpStepF32(x, y, dims, loss, eps, metric, out, w0, b0, dw0, db0, w1, ...): one training step of a dense stack
// (kernels/cpu/mlp.h). The layers' Float32Arrays follow as arguments (b and db empty for no bias; arguments, not a
// JS array: reading array elements through N-API is slow); dims: Float64Array [batch, k0, n0, act0, k1, ...];
// out: Float64Array(2) ← [loss, metric].
Napi::Value MlpStepF32(const Napi::CallbackInfo& info) {
  Args args(info, "mlpStepF32");
  args.expectCount(7);
  F32 x = args.f32(0, "x"), y = args.f32(1, "y");
  const size_t arrays = info.Length() - 7;
  const auto dims = args.ints<1 + 3 * kMaxLayers>(2, "dims", double(std::numeric_limits<int32_t>::max()));
  if (dims.size < 4 || (dims.size - 1) % 3 != 0)
    args.fail("dims must hold batch then (k, n, act) per layer, got " + std::to_string(dims.size) + " entries", true);
  const size_t count = (dims.size - 1) / 3, batch = dims[0];
  if (arrays != 4 * count)
    args.fail(std::to_string(arrays) + " arrays after out, expected 4 per layer = " + std::to_string(4 * count), true);
  const auto loss = cpu::MlpLoss(args.code(3, 3));
  const double eps = args.number(4, "eps");
  if (!(eps > 0 && eps < 0.5)) args.fail("eps must be in (0, 0.5)", true);
  const auto metric = cpu::MlpMetric(args.code(5, 3));
  size_t out_length = 0;
  double* out = nullptr;
  {
    napi_typedarray_type type;
    void* data = nullptr;
    if (napi_get_typedarray_info(info.Env(), info[6], &type, &out_length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_float64_array || out_length != 2)
      args.fail("out must be a Float64Array of 2");
    out = static_cast<double*>(data);
  }

  std::vector<cpu::MlpLayer> layers(count);
  std::vector<F32> views;  // every array, to check that no gradient overlaps anything else
  views.reserve(4 * count + 2);
  views.push_back(x);
  views.push_back(y);
  for (size_t l = 0; l < count; ++l) {
    const size_t k = dims[1 + 3 * l], n = dims[2 + 3 * l];
    const auto act = dims[3 + 3 * l];
    if (act >= cpu::kDenseActCount)
      args.fail("act of layer " + std::to_string(l) + " is not a dense activation code", true);
    if (k == 0 || n == 0) args.fail("layer " + std::to_string(l) + " has a zero size", true);
    if (l > 0 && k != layers[l - 1].n)
      args.fail("layer " + std::to_string(l) + " takes " + std::to_string(k) + " inputs but layer " +
                    std::to_string(l - 1) + " gives " + std::to_string(layers[l - 1].n),
                true);
    F32 a[4];
    for (size_t s = 0; s < 4; ++s)
      a[s] = args.f32Named(7 + 4 * l + s, kSlot[s], [&] {
        return std::string(kSlot[s]) + " of layer " + std::to_string(l) + " (argument " +
               std::to_string(7 + 4 * l + s) + ")";
      });
    const size_t kn = args.product({k, n}, "k*n");
    args.expectLength(a[0], kn, "k*n");
    args.expectLength(a[2], kn, "k*n");
    if (a[1].length != 0) args.expectLength(a[1], n, "n");
    args.expectLength(a[3], a[1].length, "b's length");
    layers[l] = cpu::MlpLayer{a[0].data, a[1].length ? a[1].data : nullptr, a[2].data,
                              a[3].length ? a[3].data : nullptr, k, n, cpu::DenseAct(act)};
    for (const F32& v : a) views.push_back(v);
  }
  args.expectLength(x, args.product({batch, layers[0].k}, "batch*k0"), "batch*k0");
  args.expectLength(y, args.product({batch, layers[count - 1].n}, "batch*n_last"), "batch*n_last");
  for (size_t l = 0; l < count; ++l)
    for (size_t s : {size_t(2), size_t(3)}) {
      const F32& g = views[2 + 4 * l + s];
      for (size_t j = 0; j < views.size(); ++j)
        if (j != 2 + 4 * l + s) args.expectApart(g, views[j]);
    }
  const cpu::MlpResult r = cpu::mlp_step(x.data, y.data, layers.data(), count, batch, loss, float(eps), metric);
  out[0] = r.loss;
  out[1] = r.metric;
  return info.Env().Undefined();
}

}  // namespace tensile::binding
