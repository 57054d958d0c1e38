// Fused optimizer updates: one pass per variable, writing param and its slots in place.
// Hyperparameters are doubles and every step is computed in double, rounding to float where the
// reference stores into a Float32Array (lib/backend/reference/optimizers.ts), so the two agree to
// the last bit or close to it. Buffers are distinct and of length n (unused slots: see each rule).
#pragma once
#include <cstddef>

namespace tensile::cpu {

struct AdamStep {
  double lr, beta1, beta2, epsilon, t, weightDecay;
};
struct SgdStep {
  double lr, momentum;
  bool nesterov;
};
struct RmspropStep {
  double lr, rho, momentum, epsilon;
  bool centered;
};
struct AdagradStep {
  double lr, epsilon;
};

void adam_update(float* param, const float* grad, float* m, float* v, size_t n, const AdamStep& h) noexcept;
// velocity is not touched when momentum is 0.
void sgd_update(float* param, const float* grad, float* velocity, size_t n, const SgdStep& h) noexcept;
// mg is used only when centered, mom only when momentum > 0.
void rmsprop_update(float* param, const float* grad, float* ms, float* mom, float* mg, size_t n,
                    const RmspropStep& h) noexcept;
void adagrad_update(float* param, const float* grad, float* acc, size_t n, const AdagradStep& h) noexcept;

}  // namespace tensile::cpu
