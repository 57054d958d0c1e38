#include "../kernels/cpu/mlp.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"
#include "deferred.h"
#include "update_rule.h"

namespace tensile::binding {

namespace {
constexpr size_t kMaxLayers = 64;
constexpr size_t kPerLayer = 4 + 2 * cpu::kMaxSlots;
constexpr size_t kFixed = 9;  // arguments before the layers' arrays
constexpr const char* kSlot[kPerLayer] = {"w",        "b",        "dw",       "db",       "w slot 0",
                                          "w slot 1", "w slot 2", "b slot 0", "b slot 1", "b slot 2"};
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
  return cpu::MlpLayer{nullptr, nullptr, nullptr, nullptr, k, n, cpu::DenseAct(act), {}, {}};
}

// Argument i, layer l's array `name`, a Float32Array.
F32 layerArray(const Args& args, size_t i, size_t l, const char* name) {
  return args.f32Named(i, name, [&] {
    return std::string(name) + " of layer " + std::to_string(l) + " (argument " + std::to_string(i) + ")";
  });
}
}  // namespace

// mlpTrainF32(x, y, order, dims, loss, eps, metric, rule, out, w0, b0, dw0, db0, ws0_0..2, bs0_0..2, w1, ...): `steps`
// training batches of a dense stack (kernels/cpu/mlp.h). The layers' Float32Arrays follow as arguments, 10 a layer
// (b, db and their slots empty for no bias; unused slots empty or any length; arguments, not a JS array: reading
// array elements through N-API is slow). order: Int32Array [rows] or empty (rows in order). dims: Float64Array
// [rows, start, batch, steps, k0, n0, act0, k1, ...]. rule: Float64Array, empty (gradients only) or
// [kind, ...hyperparameters]. out: Float64Array of at least 2·steps ← loss, metric per batch. dw and db empty in
// every layer: forward, loss and metric only (evaluation; no rule).
Napi::Value MlpTrainF32(const Napi::CallbackInfo& info) {
  Args args(info, "mlpTrainF32");
  kernelOnly(args);
  args.expectCount(kFixed);
  F32 x = args.f32(0, "x"), y = args.f32(1, "y");
  I32 order = args.i32(2, "order");
  const size_t arrays = info.Length() - kFixed;
  const auto dims = args.ints<4 + 3 * kMaxLayers>(3, "dims", double(std::numeric_limits<int32_t>::max()));
  if (dims.size < 7 || (dims.size - 4) % 3 != 0)
    args.fail("dims must hold rows, start, batch, steps then (k, n, act) per layer, got " + std::to_string(dims.size) +
                  " entries",
              true);
  const size_t count = (dims.size - 4) / 3, rows = dims[0], start = dims[1], batch = dims[2], steps = dims[3];
  if (arrays != kPerLayer * count)
    args.fail(std::to_string(arrays) + " arrays after out, expected " + std::to_string(kPerLayer) +
                  " per layer = " + std::to_string(kPerLayer * count),
              true);
  if (batch == 0 || steps == 0) args.fail("batch and steps must be positive", true);
  if (start >= rows || steps - 1 > (rows - 1 - start) / batch)
    args.fail(std::to_string(steps) + " batches of " + std::to_string(batch) + " from row " + std::to_string(start) +
                  " go past the " + std::to_string(rows) + " rows",
              true);
  const auto loss = cpu::MlpLoss(args.code(4, "loss", cpu::kMlpLossCount));
  const double eps = args.number(5, "eps");
  if (!(eps > 0 && eps < 0.5)) args.fail("eps must be in (0, 0.5)", true);
  const auto metric = cpu::MlpMetric(args.code(6, "metric", cpu::kMlpMetricCount));
  size_t rule_length = 0, out_length = 0;
  const double* rule_data = nullptr;
  double* out = nullptr;
  {
    napi_typedarray_type type;
    void* data = nullptr;
    if (napi_get_typedarray_info(info.Env(), info[7], &type, &rule_length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_float64_array)
      args.fail("rule must be a Float64Array");
    rule_data = static_cast<const double*>(data);
    if (napi_get_typedarray_info(info.Env(), info[8], &type, &out_length, &data, nullptr, nullptr) != napi_ok ||
        type != napi_float64_array || out_length < 2 * steps)
      args.fail("out must be a Float64Array of at least 2·steps = " + std::to_string(2 * steps), true);
    out = static_cast<double*>(data);
  }
  const std::optional<cpu::UpdateRule> rule = ruleOf(args, rule_data, rule_length);
  const F32 out_view{reinterpret_cast<float*>(out), 2 * out_length, "out"};  // its bytes, for the overlap checks

  std::vector<cpu::MlpLayer> layers(count);
  bool gradients = true;     // dw given (training) or empty in every layer (evaluation)
  std::vector<F32> written;  // every array the kernel writes, to check that none overlaps anything else
  std::vector<F32> read{x, y};
  written.reserve(kPerLayer * count);
  for (size_t l = 0; l < count; ++l) {
    cpu::MlpLayer& L = layers[l];
    L = layerSizes(args, dims, 4 + 3 * l, l, l ? &layers[l - 1] : nullptr);
    const size_t k = L.k, n = L.n;
    F32 a[kPerLayer];
    for (size_t s = 0; s < kPerLayer; ++s) a[s] = layerArray(args, kFixed + kPerLayer * l + s, l, kSlot[s]);
    const size_t kn = args.product({k, n}, "k*n");
    const bool bias = a[1].length != 0;
    if (l == 0) gradients = a[2].length != 0;
    if (gradients != (a[2].length != 0))
      args.fail("dw of layer " + std::to_string(l) + (gradients ? " is empty" : " is given") +
                    ": every layer takes gradients (dw of k*n) or none (evaluation)",
                true);
    if (!gradients && rule) args.fail("an update rule needs the gradients: dw is empty", true);
    args.expectLength(a[0], kn, "k*n");
    if (gradients) args.expectLength(a[2], kn, "k*n");
    if (bias) args.expectLength(a[1], n, "n");
    args.expectLength(a[3], gradients ? a[1].length : 0, gradients ? "b's length" : "0 (no gradients)");
    L.w = a[0].data;
    L.b = bias ? a[1].data : nullptr;
    L.dw = gradients ? a[2].data : nullptr;
    L.db = gradients && bias ? a[3].data : nullptr;
    (rule ? written : read).push_back(a[0]);
    if (bias) (rule ? written : read).push_back(a[1]);
    written.push_back(a[2]);
    written.push_back(a[3]);
    for (size_t s = 0; rule && s < cpu::kMaxSlots; ++s) {
      if (!cpu::slot_used(*rule, s)) continue;
      args.expectLength(a[4 + s], kn, "k*n");
      L.w_slots[s] = a[4 + s].data;
      written.push_back(a[4 + s]);
      if (!bias) continue;
      args.expectLength(a[4 + cpu::kMaxSlots + s], n, "n");
      L.b_slots[s] = a[4 + cpu::kMaxSlots + s].data;
      written.push_back(a[4 + cpu::kMaxSlots + s]);
    }
  }
  args.expectLength(x, args.product({rows, layers[0].k}, "rows*k0"), "rows*k0");
  args.expectLength(y, args.product({rows, layers[count - 1].n}, "rows*n_last"), "rows*n_last");
  if (order.length != 0) {
    if (order.length != rows)
      args.fail("order has " + std::to_string(order.length) + " entries, expected rows = " + std::to_string(rows) +
                    " (or none)",
                true);
    const size_t to = std::min(rows, start + steps * batch);
    for (size_t i = start; i < to; ++i)
      if (order.data[i] < 0 || size_t(order.data[i]) >= rows)
        args.fail("order[" + std::to_string(i) + "] = " + std::to_string(order.data[i]) + " is not a row in [0, " +
                      std::to_string(rows) + ")",
                  true);
  }
  for (size_t i = 0; i < written.size(); ++i) {
    for (size_t j = i + 1; j < written.size(); ++j) args.expectApart(written[i], written[j]);
    for (const F32& r : read) args.expectApart(written[i], r);
    args.expectApart(written[i], order);
    args.expectApart(written[i], out_view);
  }
  cpu::mlp_train({x.data, y.data, rows, order.length ? order.data : nullptr}, layers.data(), count,
                 {start, batch, steps}, loss, float(eps), metric, rule ? &*rule : nullptr, out);
  return info.Env().Undefined();
}

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
