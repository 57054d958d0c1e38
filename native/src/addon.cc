// Module init: registers the bindings, nothing else. Context-aware (NODE_API_MODULE
// with node-addon-api): no global JS state, so the addon loads in worker_threads.
#include <napi.h>

#include "binding/bindings.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace tensile::binding;
#define TENSILE_REGISTER_BINDING(name, fn) exports.Set(name, Napi::Function::New(env, fn, name));
  TENSILE_BINDINGS(TENSILE_REGISTER_BINDING)
#undef TENSILE_REGISTER_BINDING
  exports.Set("CudaBuffer", CudaBufferClass(env));
  return exports;
}
}  // namespace

NODE_API_MODULE(tensile, Init)
