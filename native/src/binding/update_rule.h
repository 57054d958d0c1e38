// An optimizer's update rule as the bindings receive it: a Float64Array [kind, ...hyperparameters] (UpdateKind
// order; lib/backend/update-rule.ts writes it), read by applyUpdateF32.
#pragma once
#include <cmath>
#include <optional>
#include <string>

#include "../kernels/cpu/optimizers.h"
#include "args.h"

namespace tensile::binding {

constexpr size_t kRuleLength = 7;

// The rule in r, without checks (ruleOf has made them): what a kept call reads each time it runs.
inline cpu::UpdateRule decodeRule(const double* r) noexcept {
  cpu::UpdateRule u{};
  u.kind = cpu::UpdateKind(int(r[0]));
  switch (u.kind) {
    case cpu::UpdateKind::Adam: u.adam = {r[1], r[2], r[3], r[4], r[5], r[6]}; break;       // lr β1 β2 ε t wd
    case cpu::UpdateKind::Sgd: u.sgd = {r[1], r[2], r[3] != 0}; break;                      // lr momentum nesterov
    case cpu::UpdateKind::Rmsprop: u.rmsprop = {r[1], r[2], r[3], r[4], r[5] != 0}; break;  // lr ρ momentum ε centered
    case cpu::UpdateKind::Adagrad: u.adagrad = {r[1], r[2]}; break;                         // lr ε
  }
  return u;
}

// rule: empty (no update) or kRuleLength finite numbers, the first a kind code.
inline std::optional<cpu::UpdateRule> ruleOf(const Args& args, const double* r, size_t length) {
  if (length == 0) return std::nullopt;
  if (length != kRuleLength) args.fail("rule must be empty or hold " + std::to_string(kRuleLength) + " numbers", true);
  for (size_t i = 0; i < length; ++i)
    if (!std::isfinite(r[i])) args.fail("rule[" + std::to_string(i) + "] is not finite", true);
  if (!(r[0] >= 0 && r[0] < double(cpu::kUpdateKindCount) && r[0] == std::floor(r[0])))
    args.fail("rule[0] must be an update kind code in [0, " + std::to_string(cpu::kUpdateKindCount - 1) + "]", true);
  return decodeRule(r);
}

}  // namespace tensile::binding
