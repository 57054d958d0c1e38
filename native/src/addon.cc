// Module init: registers the bindings, nothing else. Context-aware (NODE_API_MODULE
// with node-addon-api): no global JS state, so the addon loads in worker_threads.
#include <napi.h>

#include "binding/bindings.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace tensile::binding;
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("gemmF32", Napi::Function::New(env, GemmF32, "gemmF32"));
  return exports;
}
}  // namespace

NODE_API_MODULE(tensile, Init)
