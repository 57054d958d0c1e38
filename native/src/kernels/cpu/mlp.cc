#include "mlp.h"

#include <algorithm>
#include <vector>

#include "dense.h"
#include "gemm.h"
#include "multiversion.h"
#include "parallel.h"

namespace tensile::cpu {

namespace {

// Below this many weights in the pair, one thread's pass is as fast as two threads' and their join.
constexpr size_t kParallelPairWeights = size_t(1) << 16;

bool parallel_pair(const MlpLayer& a, const MlpLayer& b) noexcept {
  auto elementwise = [](DenseAct act) { return act == DenseAct::Linear || act == DenseAct::Relu; };
  return elementwise(a.act) && elementwise(b.act) && a.n >= 16 && a.k * a.n + b.k * b.n >= kParallelPairWeights &&
         get_num_threads() > 1;
}

}  // namespace

void mlp_forward(const float* x, const MlpLayer* layers, size_t count, size_t rows, float* out) noexcept {
  thread_local std::vector<float> buf_a, buf_b, parts;
  size_t widest = 0;
  for (size_t l = 0; l < count; ++l) widest = std::max(widest, layers[l].n);
  buf_a.resize(rows * widest);
  buf_b.resize(rows * widest);
  const float* in = x;
  size_t l = 0;
  if (rows == 1 && count >= 2 && parallel_pair(layers[0], layers[1])) {
    const MlpLayer &a = layers[0], &b = layers[1];
    parts.resize(2 * b.n);
    // Plain pointers: a thread_local named inside the lambda would be the helper thread's own.
    float* h = buf_a.data();
    float* sums = parts.data();
    const size_t half = (a.n / 2 + 15) / 16 * 16;
    auto pair_half = [&](size_t c) {
      const size_t from = c ? half : 0, to = c ? a.n : half;
      row_combination(a.w, a.n, x, a.k, h, from, to);
      finish({a.b, a.act == DenseAct::Relu}, h + from, a.n, 1, to - from, from);
      row_combination(b.w + from * b.n, b.n, h + from, to - from, sums + c * b.n, 0, b.n);
    };
    parallel_chunks(2, pair_half);
    float* y = count == 2 ? out : buf_b.data();
    for (size_t j = 0; j < b.n; ++j) y[j] = sums[j] + sums[b.n + j];
    finish({b.b, b.act == DenseAct::Relu}, y, b.n, 1, b.n, 0);
    in = y;
    l = 2;
  }
  for (; l < count; ++l) {
    const MlpLayer& L = layers[l];
    float* y = l + 1 == count ? out : in == buf_a.data() ? buf_b.data() : buf_a.data();
    dense(in, L.w, L.b, y, {rows, L.k, L.n}, L.act);
    in = y;
  }
}

}  // namespace tensile::cpu
