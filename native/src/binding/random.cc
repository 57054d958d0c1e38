#include "../kernels/cpu/random.h"

#include <cstdint>

#include "args.h"
#include "bindings.h"
#include "deferred.h"

namespace tensile::binding {

// bernoulliF32(state, out, p, value): out[i] = value with probability p, else 0, drawn from the xoshiro128** state
// (an Int32Array of its 4 words, advanced in place; cpu::bernoulli).
Napi::Value BernoulliF32(const Napi::CallbackInfo& info) {
  Args args(info, "bernoulliF32");
  args.expectCount(4);
  I32 state = args.i32(0, "state");
  F32 out = args.f32(1, "out");
  const double p = args.number(2, "p");
  const float value = float(args.number(3, "value"));
  if (state.length != 4)
    args.fail("state must hold the generator's 4 words, got " + std::to_string(state.length), true);
  if (!(p >= 0 && p <= 1)) args.fail("p must be a probability in [0, 1], got " + std::to_string(p), true);
  args.expectApart(out, state);
  uint32_t* words = reinterpret_cast<uint32_t*>(state.data);
  run([=] { cpu::bernoulli(words, out.data, out.length, p, value); });
  return info.Env().Undefined();
}

}  // namespace tensile::binding
