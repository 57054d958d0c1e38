// Fused optimizer updates: one pass per variable, writing param and its slots in place.
// Hyperparameters are doubles and every step is computed in double (Adam's step term in float: see
// optimizers.cc), rounding to float where the reference stores into a Float32Array
// (lib/backend/reference/optimizers.ts), so the two agree to the last bit or within an ulp. Buffers are distinct and of
// length n (unused slots: see each rule).
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

// One of the rules above as data, for kernels that run several optimizer steps in one call (mlp.h).
enum class UpdateKind { Adam, Sgd, Rmsprop, Adagrad };
inline constexpr const char* kUpdateKindNames[] = {"adam", "sgd", "rmsprop", "adagrad"};
inline constexpr size_t kUpdateKindCount = sizeof(kUpdateKindNames) / sizeof(kUpdateKindNames[0]);
static_assert(kUpdateKindCount == size_t(UpdateKind::Adagrad) + 1, "kUpdateKindNames lists every UpdateKind");
struct UpdateRule {
  UpdateKind kind;
  AdamStep adam;  // t: the first step's
  SgdStep sgd;
  RmspropStep rmsprop;
  AdagradStep adagrad;
};
// How many slot arrays each rule takes, at most: Adam m, v; SGD velocity; RMSprop ms, mom, mg; Adagrad acc.
constexpr size_t kMaxSlots = 3;
size_t slot_count(UpdateKind kind) noexcept;
// Whether slot s of rule r is read and written (a length-n array) or unused (may be null).
bool slot_used(const UpdateRule& r, size_t s) noexcept;
// The rule's update of param with its slots; `later` steps after the first (Adam's t + later).
void apply_update(const UpdateRule& r, float* param, const float* grad, float* const* slots, size_t n,
                  size_t later) noexcept;

}  // namespace tensile::cpu
