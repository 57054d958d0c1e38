#include "batch_norm.h"

#include <cmath>
#include <vector>

#include "multiversion.h"

namespace tensile::cpu {

// Column sums in double, rows in order (as the reference): the mean first, then Σ(x − mean)², never E[x²] − E[x]².
TENSILE_MULTIVERSION void batch_norm(const float* x, const float* gamma, const float* beta, float* out, float* mean,
                                     float* variance, float* rstd, size_t rows, size_t cols, float eps) noexcept {
  if (cols == 0) return;
  std::vector<double> mu(cols, 0.0), ss(cols, 0.0);
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    for (size_t j = 0; j < cols; ++j) mu[j] += xr[j];
  }
  for (size_t j = 0; j < cols; ++j) mu[j] /= double(rows);
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    for (size_t j = 0; j < cols; ++j) {
      const double d = double(xr[j]) - mu[j];
      ss[j] += d * d;
    }
  }
  std::vector<float> scale(cols);
  for (size_t j = 0; j < cols; ++j) {
    const double var = ss[j] / double(rows);
    mean[j] = float(mu[j]);
    variance[j] = float(var);
    rstd[j] = float(1.0 / std::sqrt(var + double(eps)));
    scale[j] = gamma ? rstd[j] * gamma[j] : rstd[j];
  }
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    float* __restrict yr = out + r * cols;
    for (size_t j = 0; j < cols; ++j) {
      const float n = (xr[j] - mean[j]) * scale[j];
      yr[j] = beta ? n + beta[j] : n;
    }
  }
}

TENSILE_MULTIVERSION void batch_norm_backward(const float* x, const float* gamma, const float* mean, const float* rstd,
                                              const float* dy, float* dx, float* dgamma, float* dbeta, size_t rows,
                                              size_t cols) noexcept {
  std::vector<double> sdy(cols, 0.0), sdyx(cols, 0.0);  // Σ dy and Σ dy⊙x̂ per column
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    const float* __restrict dyr = dy + r * cols;
    for (size_t j = 0; j < cols; ++j) {
      sdy[j] += dyr[j];
      sdyx[j] += double(dyr[j]) * double((xr[j] - mean[j]) * rstd[j]);
    }
  }
  for (size_t j = 0; j < cols; ++j) {
    if (dgamma) dgamma[j] = float(sdyx[j]);
    if (dbeta) dbeta[j] = float(sdy[j]);
  }
  if (!dx || rows == 0) return;
  std::vector<float> k(cols), a(cols), b(cols);
  for (size_t j = 0; j < cols; ++j) {
    k[j] = gamma ? rstd[j] * gamma[j] : rstd[j];
    a[j] = float(sdy[j] / double(rows));
    b[j] = float(sdyx[j] / double(rows));
  }
  for (size_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    const float* __restrict dyr = dy + r * cols;
    float* __restrict dxr = dx + r * cols;
    for (size_t j = 0; j < cols; ++j) dxr[j] = k[j] * (dyr[j] - a[j] - ((xr[j] - mean[j]) * rstd[j]) * b[j]);
  }
}

// Not multiversioned: without FMA in the target the products are rounded before the sum, as the separate ops.
void moving_average(float* avg, const float* x, size_t n, float momentum, float rest) noexcept {
  for (size_t i = 0; i < n; ++i) {
    const float a = avg[i] * momentum, b = x[i] * rest;
    avg[i] = a + b;
  }
}

}  // namespace tensile::cpu
