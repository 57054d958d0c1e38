#include "../kernels/cpu/optimizers.h"

#include <vector>

#include "args.h"
#include "bindings.h"
#include "deferred.h"
#include "update_rule.h"

namespace tensile::binding {

namespace {
// Each buffer has param's length, and no two share a byte: the update writes several of them in place.
void expectSlots(const Args& args, const std::vector<const F32*>& buffers) {
  const F32& param = *buffers.front();
  for (const F32* b : buffers) args.expectLength(*b, param.length, "param.length");
  for (size_t i = 0; i < buffers.size(); ++i)
    for (size_t j = i + 1; j < buffers.size(); ++j) args.expectApart(*buffers[j], *buffers[i]);
}
}  // namespace

// adamUpdateF32(param, grad, m, v, lr, beta1, beta2, epsilon, t, weightDecay): one Adam(W) step in place.
Napi::Value AdamUpdateF32(const Napi::CallbackInfo& info) {
  Args args(info, "adamUpdateF32");
  args.expectCount(10);
  F32 param = args.f32(0, "param"), grad = args.f32(1, "grad"), m = args.f32(2, "m"), v = args.f32(3, "v");
  const cpu::AdamStep h{args.number(4, "lr"),      args.number(5, "beta1"), args.number(6, "beta2"),
                        args.number(7, "epsilon"), args.number(8, "t"),     args.number(9, "weightDecay")};
  expectSlots(args, {&param, &grad, &m, &v});
  kernelOnly(args);
  cpu::adam_update(param.data, grad.data, m.data, v.data, param.length, h);
  return info.Env().Undefined();
}

// sgdUpdateF32(param, grad, velocity, lr, momentum, nesterov): velocity is unused (may be empty) when momentum is 0.
Napi::Value SgdUpdateF32(const Napi::CallbackInfo& info) {
  Args args(info, "sgdUpdateF32");
  args.expectCount(6);
  F32 param = args.f32(0, "param"), grad = args.f32(1, "grad"), velocity = args.f32(2, "velocity");
  const cpu::SgdStep h{args.number(3, "lr"), args.number(4, "momentum"), args.flag(5, "nesterov")};
  std::vector<const F32*> used{&param, &grad};
  if (h.momentum != 0) used.push_back(&velocity);
  expectSlots(args, used);
  kernelOnly(args);
  cpu::sgd_update(param.data, grad.data, velocity.data, param.length, h);
  return info.Env().Undefined();
}

// rmspropUpdateF32(param, grad, ms, mom, mg, lr, rho, momentum, epsilon, centered):
// mom is used only when momentum > 0, mg only when centered (either may be empty otherwise).
Napi::Value RmspropUpdateF32(const Napi::CallbackInfo& info) {
  Args args(info, "rmspropUpdateF32");
  args.expectCount(10);
  F32 param = args.f32(0, "param"), grad = args.f32(1, "grad"), ms = args.f32(2, "ms"), mom = args.f32(3, "mom"),
      mg = args.f32(4, "mg");
  const cpu::RmspropStep h{args.number(5, "lr"), args.number(6, "rho"), args.number(7, "momentum"),
                           args.number(8, "epsilon"), args.flag(9, "centered")};
  std::vector<const F32*> used{&param, &grad, &ms};
  if (h.momentum > 0) used.push_back(&mom);
  if (h.centered) used.push_back(&mg);
  expectSlots(args, used);
  kernelOnly(args);
  cpu::rmsprop_update(param.data, grad.data, ms.data, mom.data, mg.data, param.length, h);
  return info.Env().Undefined();
}

// adagradUpdateF32(param, grad, acc, lr, epsilon): one Adagrad step in place.
Napi::Value AdagradUpdateF32(const Napi::CallbackInfo& info) {
  Args args(info, "adagradUpdateF32");
  args.expectCount(5);
  F32 param = args.f32(0, "param"), grad = args.f32(1, "grad"), acc = args.f32(2, "acc");
  const cpu::AdagradStep h{args.number(3, "lr"), args.number(4, "epsilon")};
  expectSlots(args, {&param, &grad, &acc});
  kernelOnly(args);
  cpu::adagrad_update(param.data, grad.data, acc.data, param.length, h);
  return info.Env().Undefined();
}

// applyUpdateF32(rule, param, grad, slot0, slot1, slot2): one step of the rule (Float64Array, update_rule.h) in
// place; slots the rule does not use may be empty. The rule's numbers are read when the kernel runs, so a plan
// keeps this call and each run takes the optimizer's current learning rate and step; its kind and which slots it
// uses (momentum > 0, centered) are those validated here.
Napi::Value ApplyUpdateF32(const Napi::CallbackInfo& info) {
  Args args(info, "applyUpdateF32");
  args.expectCount(6);
  size_t length = 0;
  const double* r = args.f64(0, "rule", &length);
  const std::optional<cpu::UpdateRule> rule = ruleOf(args, r, length);
  if (!rule) args.fail("rule must not be empty", true);
  F32 param = args.f32(1, "param"), grad = args.f32(2, "grad");
  const F32 slots[cpu::kMaxSlots] = {args.f32(3, "slot0"), args.f32(4, "slot1"), args.f32(5, "slot2")};
  std::vector<const F32*> used{&param, &grad};
  bool uses[cpu::kMaxSlots];
  for (size_t s = 0; s < cpu::kMaxSlots; ++s)
    if ((uses[s] = cpu::slot_used(*rule, s))) used.push_back(&slots[s]);
  expectSlots(args, used);
  float* const data[cpu::kMaxSlots] = {uses[0] ? slots[0].data : nullptr, uses[1] ? slots[1].data : nullptr,
                                       uses[2] ? slots[2].data : nullptr};
  const cpu::UpdateRule first = *rule;
  const size_t n = param.length;
  run([=] {
    cpu::UpdateRule u = decodeRule(r);
    u.kind = first.kind;  // the structure validated above: a slot left empty is never written
    for (size_t s = 0; s < cpu::kMaxSlots; ++s)
      if (cpu::slot_used(u, s) && !data[s]) u = first;
    cpu::apply_update(u, param.data, grad.data, data, n, 0);
  });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
