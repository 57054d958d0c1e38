#include "mlp.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "dense.h"
#include "gemm.h"
#include "multiversion.h"
#include "parallel.h"

namespace tensile::cpu {

namespace {

float clip(float v, float lo, float hi) { return std::min(std::max(v, lo), hi); }

// Per-row loss of p against y and dL/dp for the batch mean (rows scaled by 1/batch), as the reference
// crossentropy/crossentropyBackward (lib/backend/reference/crossentropy.ts) and the mse op compute them.
double loss_and_grad(MlpLoss kind, const float* y, const float* p, float* dp, size_t rows, size_t cols, float eps) {
  const float lo = eps, hi = float(1.0 - double(eps));
  const float scale = 1.0f / float(rows);
  double total = 0;
  for (size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* pr = p + r * cols;
    float* gr = dp + r * cols;
    float acc = 0;
    if (kind == MlpLoss::BinaryCrossentropy) {
      for (size_t j = 0; j < cols; ++j) {
        const float pc = clip(pr[j], lo, hi);
        acc -= yr[j] * std::log(pc) + (1 - yr[j]) * std::log(1 - pc);
        const float v = pr[j];
        gr[j] = v < lo || v > hi ? 0.0f : (scale * (-yr[j] / v + (1 - yr[j]) / (1 - v))) / float(cols);
      }
      acc /= float(cols);
    } else if (kind == MlpLoss::CategoricalCrossentropy) {
      float s = 0;
      for (size_t j = 0; j < cols; ++j) s += pr[j];
      float gq = 0;
      for (size_t j = 0; j < cols; ++j) {
        const float q = pr[j] / s;
        acc -= yr[j] * std::log(clip(q, lo, hi));
        const float g = q < lo || q > hi ? 0.0f : -yr[j] / q;
        gr[j] = g;
        gq += g * q;
      }
      for (size_t j = 0; j < cols; ++j) gr[j] = (scale * (gr[j] - gq)) / s;
    } else {
      for (size_t j = 0; j < cols; ++j) {
        const float d = pr[j] - yr[j];
        acc += d * d;
        gr[j] = scale * (2 * d / float(cols));
      }
      acc /= float(cols);
    }
    total += acc;
  }
  return total / double(rows);
}

// dL/dlogits of the batch mean: (p·Σy − y)/batch (softmax + categorical), (p − y)/(cols·batch)
// (sigmoid + binary).
void fused_logit_grad(MlpLoss kind, const float* y, const float* p, float* g, size_t rows, size_t cols) {
  const float scale = 1.0f / float(rows);
  for (size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* pr = p + r * cols;
    float* gr = g + r * cols;
    if (kind == MlpLoss::CategoricalCrossentropy) {
      float sy = 0;
      for (size_t j = 0; j < cols; ++j) sy += yr[j];
      for (size_t j = 0; j < cols; ++j) gr[j] = scale * (pr[j] * sy - yr[j]);
    } else {
      for (size_t j = 0; j < cols; ++j) gr[j] = scale * ((pr[j] - yr[j]) * (1.0f / float(cols)));
    }
  }
}

double metric_of(MlpMetric kind, const float* y, const float* p, size_t rows, size_t cols) {
  if (kind == MlpMetric::None || rows == 0) return 0;
  double total = 0;
  for (size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* pr = p + r * cols;
    if (kind == MlpMetric::BinaryAccuracy) {
      size_t hits = 0;
      for (size_t j = 0; j < cols; ++j) hits += yr[j] == (pr[j] > 0.5f ? 1.0f : 0.0f);
      total += double(hits) / double(cols);
    } else {
      // First maximum of each (a NaN wins, as argmax does).
      auto first_max = [cols](const float* v) {
        size_t best = 0;
        for (size_t j = 1; j < cols && v[best] == v[best]; ++j)
          if (v[j] > v[best] || v[j] != v[j]) best = j;
        return best;
      };
      total += first_max(yr) == first_max(pr) ? 1 : 0;
    }
  }
  return total / double(rows);
}

struct MlpResult {
  double loss, metric;
};

// One batch: x [batch, k0], y [batch, n_last]; every dw/db is overwritten (none given: forward, loss and metric only).
MlpResult mlp_step(const float* x, const float* y, const MlpLayer* layers, size_t count, size_t batch, MlpLoss loss,
                   float eps, MlpMetric metric) {
  // acts[l] is layer l's output; the two gradient buffers alternate going down.
  thread_local std::vector<std::vector<float>> acts;
  thread_local std::vector<float> grad_a, grad_b;
  if (acts.size() < count) acts.resize(count);
  size_t widest = 0;
  for (size_t l = 0; l < count; ++l) {
    acts[l].resize(batch * layers[l].n);
    widest = std::max(widest, std::max(layers[l].k, layers[l].n));
  }
  grad_a.resize(batch * widest);
  grad_b.resize(batch * widest);

  for (size_t l = 0; l < count; ++l) {
    const MlpLayer& L = layers[l];
    dense(l == 0 ? x : acts[l - 1].data(), L.w, L.b, acts[l].data(), {batch, L.k, L.n}, L.act);
  }
  const size_t classes = layers[count - 1].n;
  const float* p = acts[count - 1].data();
  float* dy = grad_a.data();
  float* dx = grad_b.data();
  MlpResult r{loss_and_grad(loss, y, p, dy, batch, classes, eps), metric_of(metric, y, p, batch, classes)};
  if (!layers[0].dw) return r;
  // Softmax + categorical and sigmoid + binary crossentropy take the loss's gradient with respect to the
  // logits, exact and unclipped, as the op-by-op path's fused losses do (lib/losses/crossentropy.ts).
  const DenseAct last = layers[count - 1].act;
  const bool fused = (loss == MlpLoss::CategoricalCrossentropy && last == DenseAct::Softmax) ||
                     (loss == MlpLoss::BinaryCrossentropy && last == DenseAct::Sigmoid);
  if (fused) fused_logit_grad(loss, y, p, dy, batch, classes);
  for (size_t l = count; l-- > 0;) {
    const MlpLayer& L = layers[l];
    dense_backward(l == 0 ? x : acts[l - 1].data(), L.w, acts[l].data(), dy, l == 0 ? nullptr : dx, L.dw, L.db,
                   {batch, L.k, L.n}, fused && l == count - 1 ? DenseAct::Linear : L.act);
    std::swap(dy, dx);
  }
  return r;
}

// Rows order[from, to) of src ([rows, cols]) into dst, contiguous.
void gather_rows(const float* src, const int32_t* order, size_t from, size_t to, size_t cols, float* dst) {
  for (size_t i = from; i < to; ++i, dst += cols) std::copy_n(src + size_t(order[i]) * cols, cols, dst);
}

}  // namespace

void mlp_train(const MlpData& data, const MlpLayer* layers, size_t count, const MlpBatches& batches, MlpLoss loss,
               float eps, MlpMetric metric, const UpdateRule* rule, double* out) {
  const size_t k0 = layers[0].k, classes = layers[count - 1].n;
  thread_local std::vector<float> xb, yb;
  for (size_t j = 0; j < batches.steps; ++j) {
    const size_t from = batches.start + j * batches.batch;
    const size_t to = std::min(from + batches.batch, data.rows), rows = to - from;
    const float* x = data.x + from * k0;
    const float* y = data.y + from * classes;
    if (data.order) {
      xb.resize(rows * k0);
      yb.resize(rows * classes);
      gather_rows(data.x, data.order, from, to, k0, xb.data());
      gather_rows(data.y, data.order, from, to, classes, yb.data());
      x = xb.data();
      y = yb.data();
    }
    const MlpResult r = mlp_step(x, y, layers, count, rows, loss, eps, metric);
    out[2 * j] = r.loss;
    out[2 * j + 1] = r.metric;
    if (!rule) continue;
    for (size_t l = 0; l < count; ++l) {
      const MlpLayer& L = layers[l];
      apply_update(*rule, L.w, L.dw, L.w_slots, L.k * L.n, j);
      if (L.b) apply_update(*rule, L.b, L.db, L.b_slots, L.n, j);
    }
  }
}

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
