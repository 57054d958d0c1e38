// A dense layer as one kernel each way: out = act(x·w + b), and its gradients dx, dw, db
// from dy and the output y (every fused activation's derivative is a function of y).
// x [m, k], w [k, n], b [n] (may be null), out/y/dy [m, n]; dx [m, k], dw [k, n], db [n] may be null.
#pragma once
#include <cstddef>

#include "kinds.h"

namespace tensile::cpu {

struct DenseDims {
  size_t m, k, n;
};

void dense(const float* x, const float* w, const float* b, float* out, DenseDims d, DenseAct act) noexcept;
void dense_backward(const float* x, const float* w, const float* y, const float* dy, float* dx, float* dw, float* db,
                    DenseDims d, DenseAct act) noexcept;
// dPre = dy ⊙ act'(pre) for `rows` rows of `cols`, from y = act(pre); Linear copies dy. g overlaps neither input.
void dense_act_grad(const float* y, const float* dy, float* g, size_t rows, size_t cols, DenseAct act) noexcept;
// The backward passes' first step: dPre of `rows` rows (dy itself for Linear, else dense_act_grad into g), and with
// db its column sums added to db. Returns dPre.
const float* dense_dpre(const float* y, const float* dy, float* g, size_t rows, size_t cols, DenseAct act,
                        float* db) noexcept;

}  // namespace tensile::cpu
