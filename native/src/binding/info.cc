#include "../kernels/cpu/gemm.h"
#include "../kernels/cuda/cuda.h"
#include "args.h"
#include "bindings.h"

namespace tensile::binding {

// info(): what this build contains, for `tensile info` and getBackend diagnostics.
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const cpu::GemmInfo g = cpu::gemm_info();
  Napi::Object o = Napi::Object::New(env);
  o.Set("gemm", g.library);
  o.Set("gemmVersion", g.version);
  o.Set("gemmCore", g.coreType);
  o.Set("gemmBuiltinIsa", g.builtinIsa);
  o.Set("gemmProducts", g.products);
  o.Set("gemmVectors", g.vectors);
  o.Set("gemmRule", g.rule);
  o.Set("threads", cpu::get_num_threads());
  o.Set("cudaBuilt", cuda::built());
  o.Set("compiler", __VERSION__);
  return o;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  Args args(info, "setNumThreads");
  args.expectCount(1);
  const size_t n = args.dim(0, "n");
  if (n < 1 || n > 1024) args.fail("n must be in [1, 1024], got " + std::to_string(n), true);
  cpu::set_num_threads(int(n));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), cpu::get_num_threads());
}

}  // namespace tensile::binding
