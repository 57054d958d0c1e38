// Random draws for kernels that belong to a step (a dropout mask), from tensile's one generator: xoshiro128**
// (lib/tensor/random.ts), whose four 32-bit words the caller passes and the kernel advances in place.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tensile::cpu {

// out[i] = value where a 53-bit uniform draw (two outputs of the generator, as uniform() in JavaScript) is below
// p, else 0, for each i in order: the same draws, the same mask and the same final state as the reference kernel.
void bernoulli(uint32_t state[4], float* out, size_t n, double p, float value) noexcept;

}  // namespace tensile::cpu
