#include "dense.h"

#include <algorithm>
#include <vector>

#include "elementwise.h"
#include "gemm.h"
#include "multiversion.h"
#include "softmax.h"

namespace tensile::cpu {

namespace {
// Per-thread scratch reused across calls: a training step calls these kernels thousands of times.
float* scratch(size_t n) {
  thread_local std::vector<float> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}
}  // namespace

TENSILE_MULTIVERSION void dense(const float* x, const float* w, const float* b, float* out, DenseDims d,
                                DenseAct act) noexcept {
  const size_t size = d.m * d.n;
  // Linear and relu write the product straight into out, bias and relu applied as each tile of it is finished
  // (gemm_epilogue.h); the others go through scratch, then act(scratch) → out.
  const bool in_place = act == DenseAct::Linear || act == DenseAct::Relu;
  float* pre = in_place ? out : scratch(size);
  gemm({false, false, d.m, d.n, d.k}, 1.0f, x, w, 0.0f, pre, {b, act == DenseAct::Relu});
  switch (act) {
    case DenseAct::Linear:
    case DenseAct::Relu: break;
    case DenseAct::Sigmoid: unary(UnaryOp::Sigmoid, pre, out, size); break;
    case DenseAct::Tanh: unary(UnaryOp::Tanh, pre, out, size); break;
    case DenseAct::Softmax: softmax(pre, out, d.m, d.n, false); break;
  }
}

TENSILE_MULTIVERSION void dense_act_grad(const float* y, const float* dy, float* g, size_t rows, size_t cols,
                                         DenseAct act) noexcept {
  const size_t size = rows * cols;
  float* __restrict o = g;
  switch (act) {
    case DenseAct::Linear:
      for (size_t i = 0; i < size; ++i) o[i] = dy[i];
      break;
    case DenseAct::Relu:
      for (size_t i = 0; i < size; ++i) o[i] = y[i] > 0 ? dy[i] : 0.0f;
      break;
    case DenseAct::Sigmoid:
      for (size_t i = 0; i < size; ++i) o[i] = dy[i] * (y[i] * (1.0f - y[i]));
      break;
    case DenseAct::Tanh:
      for (size_t i = 0; i < size; ++i) o[i] = dy[i] * (1.0f - y[i] * y[i]);
      break;
    case DenseAct::Softmax: softmax_backward(y, dy, o, rows, cols); break;
  }
}

TENSILE_MULTIVERSION const float* dense_dpre(const float* y, const float* dy, float* g, size_t rows, size_t cols,
                                             DenseAct act, float* db) noexcept {
  const float* dpre = dy;
  if (act != DenseAct::Linear) {
    dense_act_grad(y, dy, g, rows, cols, act);
    dpre = g;
  }
  if (db)
    for (size_t i = 0; i < rows; ++i)
      for (size_t j = 0; j < cols; ++j) db[j] += dpre[i * cols + j];
  return dpre;
}

TENSILE_MULTIVERSION void dense_backward(const float* x, const float* w, const float* y, const float* dy, float* dx,
                                         float* dw, float* db, DenseDims d, DenseAct act) noexcept {
  // dPre = dy ⊙ act'(pre), each derivative written in terms of y = act(pre).
  if (db) std::fill_n(db, d.n, 0.0f);
  const float* dpre = dense_dpre(y, dy, act == DenseAct::Linear ? nullptr : scratch(d.m * d.n), d.m, d.n, act, db);
  if (dw) gemm({true, false, d.k, d.n, d.m}, 1.0f, x, dpre, 0.0f, dw);  // dw = xᵀ·dPre
  if (dx) gemm({false, true, d.m, d.k, d.n}, 1.0f, dpre, w, 0.0f, dx);  // dx = dPre·wᵀ
}

}  // namespace tensile::cpu
