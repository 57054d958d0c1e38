#include "optimizers.h"

#include <cmath>

namespace tensile::cpu {

namespace {
// Round through float as a Float32Array store does.
inline double f32(double x) noexcept { return double(float(x)); }
}  // namespace

void adam_update(float* __restrict param, const float* __restrict grad, float* __restrict m, float* __restrict v,
                 size_t n, const AdamStep& h) noexcept {
  const double c1 = 1 - std::pow(h.beta1, h.t), c2 = 1 - std::pow(h.beta2, h.t);
  const double decay = h.lr * h.weightDecay;
  const bool decoupled = h.weightDecay != 0;  // AdamW: w −= lr·wd·w before the Adam step
  for (size_t i = 0; i < n; ++i) {
    const double g = grad[i];
    double w = param[i];
    if (decoupled) w = f32(w - decay * w);
    const double mi = f32(h.beta1 * m[i] + (1 - h.beta1) * g);
    const double vi = f32(h.beta2 * v[i] + (1 - h.beta2) * g * g);
    m[i] = float(mi);
    v[i] = float(vi);
    param[i] = float(w - (h.lr * (mi / c1)) / (std::sqrt(vi / c2) + h.epsilon));
  }
}

void sgd_update(float* __restrict param, const float* __restrict grad, float* __restrict velocity, size_t n,
                const SgdStep& h) noexcept {
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

void rmsprop_update(float* __restrict param, const float* __restrict grad, float* __restrict ms,
                    float* __restrict mom, float* __restrict mg, size_t n, const RmspropStep& h) noexcept {
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

void adagrad_update(float* __restrict param, const float* __restrict grad, float* __restrict acc, size_t n,
                    const AdagradStep& h) noexcept {
  for (size_t i = 0; i < n; ++i) {
    const double g = grad[i];
    const double a = f32(acc[i] + g * g);
    acc[i] = float(a);
    param[i] = float(param[i] - (h.lr * g) / std::sqrt(a + h.epsilon));
  }
}

}  // namespace tensile::cpu
