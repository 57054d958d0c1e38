// Kernel calls that run at once, or are kept for a native plan. Every binding validates its arguments, then
// hands its kernel call to run(): outside planBegin/planEnd it runs there and then; between them it is kept,
// with the pointers and sizes just validated, in the plan that planRun later runs as one call (deferred.cc).
// A plan's calls read and write the very arrays they were given: the plan holds them (planEnd's second argument)
// for as long as it lives, so that none is collected, or handed to another tensor, under its pointers.
#pragma once
#include <functional>
#include <utility>
#include <vector>

#include "args.h"

namespace tensile::binding {

using Kernel = std::function<void()>;

// The calls being kept (planBegin..planEnd on this thread), or null.
std::vector<Kernel>* capturing();

template <class F>
void run(F&& kernel) {
  if (std::vector<Kernel>* plan = capturing()) plan->emplace_back(std::forward<F>(kernel));
  else kernel();
}

// For the bindings whose calls a plan cannot keep: index checks that read the data (gather, scatterAdd),
// hyperparameters that change every step (the per-rule optimizer updates; applyUpdate reads its rule live), the
// dense-stack forward.
inline void kernelOnly(const Args& args) {
  if (capturing()) args.fail("this call cannot be kept in a plan");
}

}  // namespace tensile::binding
