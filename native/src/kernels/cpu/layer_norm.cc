#include "layer_norm.h"

#include <cmath>

#include "multiversion.h"

namespace tensile::cpu {

TENSILE_MULTIVERSION void layer_norm(const float* x, const float* gamma, const float* beta, float* out, float* mean,
                                     float* rstd, size_t rows, size_t cols, float eps) noexcept {
  if (cols == 0) return;
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    float* __restrict yr = out + r * cols;
    // Two passes in double, as the reference: the mean first, then Σ(x − mean)², never E[x²] − E[x]².
    double s = 0;
    for (size_t j = 0; j < cols; ++j) s += xr[j];
    const double mu = s / double(cols);
    double ss = 0;
    for (size_t j = 0; j < cols; ++j) {
      const double d = double(xr[j]) - mu;
      ss += d * d;
    }
    const float m = float(mu), inv = float(1.0 / std::sqrt(ss / double(cols) + double(eps)));
    mean[r] = m;
    rstd[r] = inv;
    for (size_t j = 0; j < cols; ++j) {
      const float n = (xr[j] - m) * inv;
      yr[j] = (gamma ? n * gamma[j] : n) + (beta ? beta[j] : 0.0f);
    }
  }
}

TENSILE_MULTIVERSION void layer_norm_backward(const float* x, const float* gamma, const float* mean, const float* rstd,
                                              const float* dy, float* dx, float* dgamma, float* dbeta, size_t rows,
                                              size_t cols) noexcept {
  if (dgamma)
    for (size_t j = 0; j < cols; ++j) dgamma[j] = 0;
  if (dbeta)
    for (size_t j = 0; j < cols; ++j) dbeta[j] = 0;
  if (cols == 0) return;
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    const float* __restrict dyr = dy + r * cols;
    const float m = mean[r], inv = rstd[r];
    if (dgamma)
      for (size_t j = 0; j < cols; ++j) dgamma[j] += dyr[j] * ((xr[j] - m) * inv);
    if (dbeta)
      for (size_t j = 0; j < cols; ++j) dbeta[j] += dyr[j];
    if (!dx) continue;
    double sg = 0, sgx = 0;  // Σ g and Σ g⊙x̂
    for (size_t j = 0; j < cols; ++j) {
      const float g = gamma ? dyr[j] * gamma[j] : dyr[j];
      sg += g;
      sgx += double(g) * double((xr[j] - m) * inv);
    }
    const float mg = float(sg / double(cols)), mgx = float(sgx / double(cols));
    float* __restrict dxr = dx + r * cols;
    for (size_t j = 0; j < cols; ++j) {
      const float g = gamma ? dyr[j] * gamma[j] : dyr[j];
      dxr[j] = inv * (g - mg - ((xr[j] - m) * inv) * mgx);
    }
  }
}

}  // namespace tensile::cpu
