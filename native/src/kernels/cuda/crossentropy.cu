// Keras' crossentropies on probabilities, one thread per row, with the reference kernels' arithmetic
// (lib/backend/reference/crossentropy.ts): p clipped to [eps, 1 − eps] (float32 bounds), the exact
// gradient, zero where the clip is active.
#include "common.cuh"

namespace tensile::cuda {
namespace {

// Clamp that keeps NaN (as the reference's Math.min(Math.max(v, lo), hi)); fminf/fmaxf would replace it by a bound.
template <class T>
__device__ T clip(T v, T lo, T hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

__global__ void crossentropy_kernel(bool binary, const float* y, const float* p, float* out, size_t rows, size_t cols,
                                    float lo, float hi) {
  TENSILE_GRID_LOOP(r, rows) {
    const float *yr = y + r * cols, *pr = p + r * cols;
    double acc = 0;
    if (binary) {
      for (size_t j = 0; j < cols; ++j) {
        const float pc = clip(pr[j], lo, hi);
        acc -= yr[j] * log(double(pc)) + (1 - yr[j]) * log(double(1.0f - pc));
      }
      out[r] = float(acc / double(cols));
    } else {
      double s = 0;
      for (size_t j = 0; j < cols; ++j) s += pr[j];
      for (size_t j = 0; j < cols; ++j) acc -= yr[j] * log(clip(pr[j] / s, double(lo), double(hi)));
      out[r] = float(acc);
    }
  }
}

__global__ void crossentropy_backward_kernel(bool binary, const float* y, const float* p, const float* dy, float* dp,
                                             size_t rows, size_t cols, float lo, float hi) {
  TENSILE_GRID_LOOP(r, rows) {
    const float *yr = y + r * cols, *pr = p + r * cols;
    float* gr = dp + r * cols;
    if (binary) {
      for (size_t j = 0; j < cols; ++j) {
        const double v = pr[j];
        gr[j] = v < lo || v > hi ? 0.f : float((dy[r] * (-yr[j] / v + (1 - yr[j]) / (1 - v))) / double(cols));
      }
    } else {
      double s = 0;
      for (size_t j = 0; j < cols; ++j) s += pr[j];
      double gq = 0;
      for (size_t j = 0; j < cols; ++j) {
        const double q = pr[j] / s;
        const double g = q < lo || q > hi ? 0 : -yr[j] / q;
        gr[j] = float(g);
        gq += g * q;
      }
      for (size_t j = 0; j < cols; ++j) gr[j] = float((dy[r] * (double(gr[j]) - gq)) / s);
    }
  }
}

}  // namespace

void crossentropy(bool binary, const float* y, const float* p, float* out, size_t rows, size_t cols, float eps) {
  if (rows == 0) return;
  crossentropy_kernel<<<blocks_for(rows), kThreads, 0, stream()>>>(binary, y, p, out, rows, cols, eps, 1.0f - eps);
  check_launch("crossentropy");
}

void crossentropy_backward(bool binary, const float* y, const float* p, const float* dy, float* dp, size_t rows,
                           size_t cols, float eps) {
  if (rows == 0) return;
  crossentropy_backward_kernel<<<blocks_for(rows), kThreads, 0, stream()>>>(binary, y, p, dy, dp, rows, cols, eps,
                                                                            1.0f - eps);
  check_launch("crossentropy_backward");
}

}  // namespace tensile::cuda
