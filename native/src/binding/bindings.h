// Every function the addon exports; addon.cc registers them.
#pragma once
#include <napi.h>

namespace tensile::binding {
Napi::Value Info(const Napi::CallbackInfo& info);
Napi::Value SetNumThreads(const Napi::CallbackInfo& info);
Napi::Value GetNumThreads(const Napi::CallbackInfo& info);
Napi::Value GemmF32(const Napi::CallbackInfo& info);
}  // namespace tensile::binding
