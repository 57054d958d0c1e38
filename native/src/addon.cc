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
  exports.Set("denseF32", Napi::Function::New(env, DenseF32, "denseF32"));
  exports.Set("denseBackwardF32", Napi::Function::New(env, DenseBackwardF32, "denseBackwardF32"));
  exports.Set("opNames", Napi::Function::New(env, OpNames, "opNames"));
  exports.Set("unaryF32", Napi::Function::New(env, UnaryF32, "unaryF32"));
  exports.Set("binaryF32", Napi::Function::New(env, BinaryF32, "binaryF32"));
  exports.Set("whereF32", Napi::Function::New(env, WhereF32, "whereF32"));
  exports.Set("broadcastF32", Napi::Function::New(env, BroadcastF32, "broadcastF32"));
  exports.Set("reduceF32", Napi::Function::New(env, ReduceF32, "reduceF32"));
  exports.Set("argmaxF32", Napi::Function::New(env, ArgmaxF32, "argmaxF32"));
  exports.Set("softmaxF32", Napi::Function::New(env, SoftmaxF32, "softmaxF32"));
  exports.Set("transposeF32", Napi::Function::New(env, TransposeF32, "transposeF32"));
  exports.Set("gatherF32", Napi::Function::New(env, GatherF32, "gatherF32"));
  exports.Set("scatterAddF32", Napi::Function::New(env, ScatterAddF32, "scatterAddF32"));
  exports.Set("adamUpdateF32", Napi::Function::New(env, AdamUpdateF32, "adamUpdateF32"));
  exports.Set("sgdUpdateF32", Napi::Function::New(env, SgdUpdateF32, "sgdUpdateF32"));
  exports.Set("rmspropUpdateF32", Napi::Function::New(env, RmspropUpdateF32, "rmspropUpdateF32"));
  exports.Set("adagradUpdateF32", Napi::Function::New(env, AdagradUpdateF32, "adagradUpdateF32"));
  return exports;
}
}  // namespace

NODE_API_MODULE(tensile, Init)
