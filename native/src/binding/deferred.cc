#include "deferred.h"

#include <memory>

#include "args.h"
#include "bindings.h"

namespace tensile::binding {

namespace {
// The plan being built on this thread, owned here until planEnd hands it to JS (one JS thread a worker: plans never
// cross threads).
thread_local std::unique_ptr<std::vector<Kernel>> building;
}  // namespace

std::vector<Kernel>* capturing() { return building.get(); }

// planBegin(): from now on this thread's kernel bindings validate and keep their calls instead of running them.
Napi::Value PlanBegin(const Napi::CallbackInfo& info) {
  if (capturing()) throw Napi::Error::New(info.Env(), "planBegin: a plan is already being built");
  building = std::make_unique<std::vector<Kernel>>();
  return info.Env().Undefined();
}

// A plan: the calls kept, and the JS value holding every array they point into (alive while the plan is).
struct KeptPlan {
  std::vector<Kernel> calls;
  Napi::Reference<Napi::Value> arrays;
};

// planEnd(keep, arrays): stop keeping calls; with keep, the calls kept as a plan (an external value for planRun)
// that holds `arrays` (the calls' arguments) so that no array its calls point into is collected before it;
// without keep they are dropped (a binding threw while the plan was built).
Napi::Value PlanEnd(const Napi::CallbackInfo& info) {
  std::unique_ptr<std::vector<Kernel>> calls = std::move(building);  // capturing() is null from here
  Args args(info, "planEnd");
  args.expectCount(1);
  if (!args.flag(0, "keep") || !calls) return info.Env().Null();
  if (info.Length() < 2 || !info[1].IsArray()) args.fail("arrays must be an array (the calls' arguments)");
  auto* plan = new KeptPlan{std::move(*calls), Napi::Persistent(info[1])};
  return Napi::External<KeptPlan>::New(info.Env(), plan, [](Napi::Env, KeptPlan* p) { delete p; });
}

// planRun(plan): run a plan's kernel calls in order.
Napi::Value PlanRun(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsExternal())
    throw Napi::TypeError::New(info.Env(), "planRun: plan must be a plan");
  if (capturing()) throw Napi::Error::New(info.Env(), "planRun: a plan is being built");
  for (const Kernel& k : info[0].As<Napi::External<KeptPlan>>().Data()->calls) k();
  return info.Env().Undefined();
}

}  // namespace tensile::binding
