// Built with -ffp-contract=off (CMakeLists.txt): a contracted a·b + c would round once where the reference
// rounds twice.
#include "crossentropy.h"

#include "js_log.h"

namespace tensile::cpu {

namespace {

// The clip bounds as the reference takes them: float32 values of eps and 1 − eps.
struct Bounds {
  double lo, hi;
  explicit Bounds(double eps) : lo(double(float(eps))), hi(double(float(1.0 - eps))) {}
  // Math.min(Math.max(v, lo), hi): NaN stays NaN.
  double clip(double v) const noexcept { return v != v ? v : v < lo ? lo : v > hi ? hi : v; }
};

double row_sum(const float* p, size_t cols) noexcept {
  double s = 0;
  for (size_t j = 0; j < cols; ++j) s += double(p[j]);
  return s;
}

}  // namespace

void crossentropy(CrossentropyKind kind, const float* y, const float* p, float* out, size_t rows, size_t cols,
                  double eps) noexcept {
  const Bounds b(eps);
  // With 0 < lo and hi < 1 both logs are finite, so a target of 0 or 1 zeroes one term exactly (±0 added to a
  // nonzero finite value, or +0 to +0): it is skipped, and one-hot targets cost one log an entry instead of two.
  const bool finite = b.lo > 0 && b.hi < 1;
  for (size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* pr = p + r * cols;
    double acc = 0;
    if (kind == CrossentropyKind::Binary) {
      for (size_t j = 0; j < cols; ++j) {
        const double pc = b.clip(double(pr[j])), yv = double(yr[j]);
        const double q = double(float(1 - pc));  // 1 − p in float32, as Keras
        if (finite && yv == 0) acc -= js_log(q);
        else if (finite && yv == 1) acc -= js_log(pc);
        else acc -= yv * js_log(pc) + (1 - yv) * js_log(q);
      }
      out[r] = float(acc / double(cols));
    } else {
      const double s = row_sum(pr, cols);
      for (size_t j = 0; j < cols; ++j) acc -= double(yr[j]) * js_log(b.clip(double(pr[j]) / s));
      out[r] = float(acc);
    }
  }
}

void crossentropy_backward(CrossentropyKind kind, const float* y, const float* p, const float* dy, float* dp,
                           size_t rows, size_t cols, double eps) noexcept {
  const Bounds b(eps);
  for (size_t r = 0; r < rows; ++r) {
    const float* yr = y + r * cols;
    const float* pr = p + r * cols;
    float* gr = dp + r * cols;
    const double d = double(dy[r]);
    if (kind == CrossentropyKind::Binary) {
      for (size_t j = 0; j < cols; ++j) {
        const double v = double(pr[j]), yv = double(yr[j]);
        gr[j] = v < b.lo || v > b.hi ? 0.0f : float((d * (-yv / v + (1 - yv) / (1 - v))) / double(cols));
      }
    } else {
      // L = −Σ y·log q with q = p/Σp: dL/dq_j = −y_j/q_j (0 where clipped), dL/dp_k = (g_k − Σ_j g_j·q_j)/Σp.
      const double s = row_sum(pr, cols);
      double gq = 0;
      for (size_t j = 0; j < cols; ++j) {
        const double q = double(pr[j]) / s;
        const double g = q < b.lo || q > b.hi ? 0.0 : -double(yr[j]) / q;
        gr[j] = float(g);  // the reference keeps g in dp (float32) and adds g·q unrounded
        gq += g * q;
      }
      for (size_t j = 0; j < cols; ++j) gr[j] = float((d * (double(gr[j]) - gq)) / s);
    }
  }
}

}  // namespace tensile::cpu
