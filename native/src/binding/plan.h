// Reading a broadcast plan (shape and per-operand strides, as Float64Arrays) for the strided
// element-wise bindings, with the one check that keeps every read in bounds.
#pragma once
#include <array>
#include <string>

#include "../kernels/cpu/strided.h"
#include "args.h"

namespace tensile::binding {

template <size_t K>
struct Plan {
  Args::Ints<cpu::kMaxRank> shape;
  std::array<Args::Ints<cpu::kMaxRank>, K> strides;

  cpu::Strided<K> view() const {
    cpu::Strided<K> s{shape.size, shape.data, {}};
    for (size_t k = 0; k < K; ++k) s.strides[k] = strides[k].data;
    return s;
  }
};

// Arguments shapeArg, shapeArg+1, ..., shapeArg+K: the shape, then one strides array per operand.
// out must hold prod(shape) elements, and the largest offset an operand's strides reach,
// Σ (shape[d] − 1)·strides[d], must lie inside that operand.
template <size_t K>
Plan<K> readPlan(const Args& args, size_t shapeArg, const std::array<const F32*, K>& operands,
                 const std::array<const char*, K>& strideNames, const F32& out) {
  Plan<K> p;
  p.shape = args.ints<cpu::kMaxRank>(shapeArg, "shape", double(std::numeric_limits<int32_t>::max()));
  size_t total = 1;
  for (size_t d : p.shape) total = args.product({total, d}, "prod(shape)");
  args.expectLength(out, total, "prod(shape)");
  for (size_t k = 0; k < K; ++k) {
    p.strides[k] = args.ints<cpu::kMaxRank>(shapeArg + 1 + k, strideNames[k], 9007199254740991.0);  // 2^53 − 1
    if (p.strides[k].size != p.shape.size)
      args.fail(std::string(strideNames[k]) + " has " + std::to_string(p.strides[k].size) +
                    " entries, expected rank(shape) = " + std::to_string(p.shape.size),
                true);
    if (total == 0) continue;  // nothing is read
    const F32& x = *operands[k];
    auto reachesPast = [&] {
      args.fail(std::string(strideNames[k]) + " reach past the end of " + x.name + " (" + std::to_string(x.length) +
                    " elements)",
                true);
    };
    if (x.length == 0) reachesPast();
    size_t last = 0;  // the largest offset read so far; dividing the room left keeps the sum from overflowing
    for (size_t d = 0; d < p.shape.size; ++d) {
      const size_t span = p.shape[d] - 1, step = p.strides[k][d];  // shape[d] ≥ 1 since total > 0
      if (step != 0 && span > (x.length - 1 - last) / step) reachesPast();
      last += span * step;
    }
  }
  return p;
}

}  // namespace tensile::binding
