#include "../kernels/cpu/kinds.h"

#include "../kernels/cpu/optimizers.h"
#include "../kernels/cpu/recurrent.h"
#include "bindings.h"

namespace tensile::binding {

namespace {
template <size_t N>
Napi::Array names(Napi::Env env, const char* const (&list)[N]) {
  Napi::Array a = Napi::Array::New(env, N);
  for (size_t i = 0; i < N; ++i) a.Set(uint32_t(i), list[i]);
  return a;
}
}  // namespace

// opNames(): the order of every code the bindings take (ops, activations, losses, update rules), so a test can
// hold it to lib/backend/kinds.ts.
Napi::Value OpNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("unary", names(env, cpu::kUnaryNames));
  o.Set("binary", names(env, cpu::kBinaryNames));
  o.Set("reduce", names(env, cpu::kReduceNames));
  o.Set("dense", names(env, cpu::kDenseActNames));
  o.Set("rnn", names(env, cpu::kRnnActNames));
  o.Set("updateRule", names(env, cpu::kUpdateKindNames));
  return o;
}

}  // namespace tensile::binding
