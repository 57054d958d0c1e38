// What the CUDA bindings share (cuda_memory.cc, cuda_kernels.cc): reading a device operand, and running a
// device call so that a CUDA failure becomes a JS error naming the binding.
#pragma once
#include <napi.h>

#include "../kernels/cuda/cuda.h"
#include "args.h"

namespace tensile::binding {

// Device operand i: arguments i, i+1, i+2 = (CudaBuffer, offset, length). The view is an F32 whose data is a
// device pointer, so the CPU bindings' length and overlap checks apply unchanged. Defined in cuda_memory.cc.
F32 device(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name);

// Runs a device call, turning a CUDA failure into a JS error that names the binding.
template <class F>
Napi::Value run(const Args& args, const Napi::CallbackInfo& info, F&& f) {
  try {
    f();
  } catch (const cuda::Error& e) {
    args.fail(e.what());
  }
  return info.Env().Undefined();
}

}  // namespace tensile::binding
