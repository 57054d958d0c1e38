// Reductions over the middle axis of x viewed as [outer, n, inner], into out [outer, inner].
// sum accumulates in double (as the reference, which sums JS numbers) and rounds once;
// max/min: NaN wins, else the first extreme (so the sign of a zero result is the reference's);
// argmax: the first NaN if any, else the first maximum, as a float index. n = 0 gives 0, -Inf, +Inf, 0.
#pragma once
#include <cstddef>

#include "kinds.h"

namespace tensile::cpu {

struct ReduceShape {
  size_t outer, n, inner;
};

// ordered: a sum adds each output's terms in order into one double (the reference's order to the bit; else lanes
// of partial sums, faster for long rows): for the calls a compiled step runs where the op-by-op step runs the
// reference.
void reduce(ReduceOp op, const float* x, float* out, const ReduceShape& s, bool ordered = false) noexcept;
void argmax(const float* x, float* out, const ReduceShape& s) noexcept;

}  // namespace tensile::cpu
