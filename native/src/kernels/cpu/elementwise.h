// Element-wise kernels: out[i] = f(x[i]), and broadcasting f(a, b), where, broadcastTo over a
// Strided plan. Float32 arithmetic (pow in double, as Math.pow), which for + − × ÷ √ gives exactly the
// reference's double-then-round result; exp/sigmoid/tanh are within 2 ulp (transcendental.h), log is
// std::log. NaN/±Inf/±0 behave as lib/backend/reference/elementwise.ts.
// Sizes and strides are validated by the caller; out never overlaps an input.
#pragma once
#include <cstddef>

#include "kinds.h"
#include "strided.h"

namespace tensile::cpu {

void unary(UnaryOp op, const float* x, float* out, size_t n) noexcept;
void binary(BinaryOp op, const float* a, const float* b, float* out, const Strided<2>& plan) noexcept;
// out = cond ≠ 0 ? a : b (a NaN condition selects a, as in the reference).
void where(const float* cond, const float* a, const float* b, float* out, const Strided<3>& plan) noexcept;
void broadcast(const float* x, float* out, const Strided<1>& plan) noexcept;

}  // namespace tensile::cpu
