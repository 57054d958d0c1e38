#include "optimizers.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "multiversion.h"
#include "parallel.h"

namespace tensile::cpu {

namespace {
// Round through float as a Float32Array store does.
inline double f32(double x) noexcept { return double(float(x)); }

// Updates are elementwise and bound by memory (Adam reads and writes 7 floats an element): those of large
// tensors are split over tensile's threads in chunks of whole cache lines. Each element gets the same
// arithmetic whatever the split, so results do not depend on the thread count. Below kSplitMin elements one
// thread finishes before the others would start.
constexpr size_t kSplitMin = size_t(1) << 15;
template <class F>
void split(size_t n, F&& range) noexcept {
  const size_t chunks = std::min<size_t>(size_t(std::max(pool_threads(), 1)), n / kSplitMin);
  if (chunks < 2) return range(size_t(0), n);
  const size_t per = (n / chunks + 15) / 16 * 16;
  auto body = [&](size_t c) {
    const size_t from = c * per, to = c + 1 == chunks ? n : std::min(n, from + per);
    if (from < to) range(from, to);
  };
  parallel_chunks(chunks, body);
}
}  // namespace

// Memory-bound in principle, but double sqrt and division per element made it the largest part of a W2 step
// (2.24 ms for 535k parameters): the divisions by the bias corrections are hoisted, the moments are computed in
// double and stored as floats (as the reference stores them), and the step lr·m̂/(√v̂ + ε) is formed in float
// (IEEE sqrt and division, correctly rounded: 8 lanes a vector instead of 4; 1.0 → 0.5 ms for 535k parameters
// under AVX2). The step differs from the reference's double one by float rounding, far below an ulp of the
// parameter it is subtracted from, which is then rounded as the reference rounds it.
namespace {
TENSILE_MULTIVERSION void adam_range(float* __restrict param, const float* __restrict grad, float* __restrict m,
                                     float* __restrict v, size_t n, const AdamStep& h) noexcept {
  const double c1 = 1 - std::pow(h.beta1, h.t), c2 = 1 - std::pow(h.beta2, h.t);
  const float step = float(h.lr / c1), inv_c2 = float(1 / c2), eps = float(h.epsilon);
  const double decay = h.lr * h.weightDecay;
  // AdamW: w −= lr·wd·w before the Adam step. Two loops, not a test per element: the plain one vectorizes better.
  auto run = [&](auto decoupled) {
    for (size_t i = 0; i < n; ++i) {
      const double g = grad[i];
      double w = param[i];
      if constexpr (decltype(decoupled)::value) w = f32(w - decay * w);
      const float mi = float(h.beta1 * m[i] + (1 - h.beta1) * g);
      const float vi = float(h.beta2 * v[i] + (1 - h.beta2) * g * g);
      m[i] = mi;
      v[i] = vi;
      param[i] = float(w - double((step * mi) / (std::sqrt(vi * inv_c2) + eps)));
    }
  };
  if (h.weightDecay != 0) run(std::true_type{});
  else run(std::false_type{});
}

TENSILE_MULTIVERSION void sgd_range(float* __restrict param, const float* __restrict grad, float* __restrict velocity,
                                    size_t n, const SgdStep& h) noexcept {
  if (h.momentum == 0) {
    for (size_t i = 0; i < n; ++i) param[i] = float(double(param[i]) - h.lr * grad[i]);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    const double g = grad[i];
    const double vel = f32(h.momentum * velocity[i] - h.lr * g);
    velocity[i] = float(vel);
    param[i] = float(param[i] + (h.nesterov ? h.momentum * vel - h.lr * g : vel));
  }
}

TENSILE_MULTIVERSION void rmsprop_range(float* __restrict param, const float* __restrict grad, float* __restrict ms,
                                        float* __restrict mom, float* __restrict mg, size_t n,
                                        const RmspropStep& h) noexcept {
  const bool momentum = h.momentum > 0;
  for (size_t i = 0; i < n; ++i) {
    const double g = grad[i];
    const double msi = f32(h.rho * ms[i] + (1 - h.rho) * g * g);
    ms[i] = float(msi);
    double denom = msi;
    if (h.centered) {
      const double mgi = f32(h.rho * mg[i] + (1 - h.rho) * g);
      mg[i] = float(mgi);
      denom -= mgi * mgi;
    }
    const double inc = (h.lr * g) / std::sqrt(denom + h.epsilon);
    if (momentum) {
      const double mi = f32(h.momentum * mom[i] + inc);
      mom[i] = float(mi);
      param[i] = float(param[i] - mi);
    } else {
      param[i] = float(param[i] - inc);
    }
  }
}

TENSILE_MULTIVERSION void adagrad_range(float* __restrict param, const float* __restrict grad, float* __restrict acc,
                                        size_t n, const AdagradStep& h) noexcept {
  for (size_t i = 0; i < n; ++i) {
    const double g = grad[i];
    const double a = f32(acc[i] + g * g);
    acc[i] = float(a);
    param[i] = float(param[i] - (h.lr * g) / std::sqrt(a + h.epsilon));
  }
}

}  // namespace

void adam_update(float* param, const float* grad, float* m, float* v, size_t n, const AdamStep& h) noexcept {
  split(n, [&](size_t a, size_t b) { adam_range(param + a, grad + a, m + a, v + a, b - a, h); });
}

void sgd_update(float* param, const float* grad, float* velocity, size_t n, const SgdStep& h) noexcept {
  split(n, [&](size_t a, size_t b) { sgd_range(param + a, grad + a, velocity ? velocity + a : nullptr, b - a, h); });
}

void rmsprop_update(float* param, const float* grad, float* ms, float* mom, float* mg, size_t n,
                    const RmspropStep& h) noexcept {
  auto at = [](float* p, size_t a) { return p ? p + a : nullptr; };
  split(n, [&](size_t a, size_t b) { rmsprop_range(param + a, grad + a, ms + a, at(mom, a), at(mg, a), b - a, h); });
}

void adagrad_update(float* param, const float* grad, float* acc, size_t n, const AdagradStep& h) noexcept {
  split(n, [&](size_t a, size_t b) { adagrad_range(param + a, grad + a, acc + a, b - a, h); });
}

size_t slot_count(UpdateKind kind) noexcept {
  switch (kind) {
    case UpdateKind::Adam: return 2;
    case UpdateKind::Rmsprop: return 3;
    default: return 1;
  }
}

bool slot_used(const UpdateRule& r, size_t s) noexcept {
  switch (r.kind) {
    case UpdateKind::Adam: return s < 2;
    case UpdateKind::Sgd: return s == 0 && r.sgd.momentum != 0;
    case UpdateKind::Rmsprop: return s == 0 || (s == 1 && r.rmsprop.momentum > 0) || (s == 2 && r.rmsprop.centered);
    case UpdateKind::Adagrad: return s == 0;
  }
  return false;
}

void apply_update(const UpdateRule& r, float* param, const float* grad, float* const* slots, size_t n,
                  size_t later) noexcept {
  switch (r.kind) {
    case UpdateKind::Adam: {
      AdamStep h = r.adam;
      h.t += double(later);
      adam_update(param, grad, slots[0], slots[1], n, h);
      break;
    }
    case UpdateKind::Sgd: sgd_update(param, grad, slots[0], n, r.sgd); break;
    case UpdateKind::Rmsprop: rmsprop_update(param, grad, slots[0], slots[1], slots[2], n, r.rmsprop); break;
    case UpdateKind::Adagrad: adagrad_update(param, grad, slots[0], n, r.adagrad); break;
  }
}

}  // namespace tensile::cpu
