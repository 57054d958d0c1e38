// Fused optimizer updates, one thread per element, with the CPU kernels' arithmetic (double
// intermediates rounded to float where the CPU rounds them), so both backends agree to the last bits
// up to the device's exp/sqrt.
#include <cmath>

#include "common.cuh"

namespace tensile::cuda {
namespace {

__device__ __forceinline__ double f32(double x) { return double(float(x)); }

__global__ void adam_kernel(float* param, const float* grad, float* m, float* v, size_t n, double lr, double beta1,
                            double beta2, double epsilon, double c1, double c2, double wd) {
  TENSILE_GRID_LOOP(i, n) {
    const double g = grad[i];
    double w = param[i];
    if (wd != 0) w = f32(w - lr * wd * w);
    const double mi = f32(beta1 * m[i] + (1 - beta1) * g);
    const double vi = f32(beta2 * v[i] + (1 - beta2) * g * g);
    m[i] = float(mi);
    v[i] = float(vi);
    param[i] = float(w - (lr * (mi / c1)) / (sqrt(vi / c2) + epsilon));
  }
}

__global__ void sgd_kernel(float* param, const float* grad, float* velocity, size_t n, double lr, double momentum,
                           bool nesterov) {
  TENSILE_GRID_LOOP(i, n) {
    const double g = grad[i];
    if (momentum == 0) {
      param[i] = float(double(param[i]) - lr * g);
      continue;
    }
    const double vel = f32(momentum * velocity[i] - lr * g);
    velocity[i] = float(vel);
    param[i] = float(param[i] + (nesterov ? momentum * vel - lr * g : vel));
  }
}

__global__ void rmsprop_kernel(float* param, const float* grad, float* ms, float* mom, float* mg, size_t n, double lr,
                               double rho, double momentum, double epsilon, bool centered) {
  TENSILE_GRID_LOOP(i, n) {
    const double g = grad[i];
    const double msi = f32(rho * ms[i] + (1 - rho) * g * g);
    ms[i] = float(msi);
    double denom = msi;
    if (centered) {
      const double mgi = f32(rho * mg[i] + (1 - rho) * g);
      mg[i] = float(mgi);
      denom -= mgi * mgi;
    }
    const double inc = (lr * g) / sqrt(denom + epsilon);
    if (momentum > 0) {
      const double mi = f32(momentum * mom[i] + inc);
      mom[i] = float(mi);
      param[i] = float(param[i] - mi);
    } else {
      param[i] = float(param[i] - inc);
    }
  }
}

__global__ void adagrad_kernel(float* param, const float* grad, float* acc, size_t n, double lr, double epsilon) {
  TENSILE_GRID_LOOP(i, n) {
    const double g = grad[i];
    const double a = f32(acc[i] + g * g);
    acc[i] = float(a);
    param[i] = float(param[i] - (lr * g) / sqrt(a + epsilon));
  }
}

}  // namespace

void rmsprop(float* param, const float* grad, float* ms, float* mom, float* mg, size_t n, double lr, double rho,
             double momentum, double epsilon, bool centered) {
  if (n == 0) return;
  rmsprop_kernel<<<blocks_for(n), kThreads, 0, stream()>>>(param, grad, ms, mom, mg, n, lr, rho, momentum, epsilon,
                                                           centered);
  check_launch("rmsprop");
}

void adagrad(float* param, const float* grad, float* acc, size_t n, double lr, double epsilon) {
  if (n == 0) return;
  adagrad_kernel<<<blocks_for(n), kThreads, 0, stream()>>>(param, grad, acc, n, lr, epsilon);
  check_launch("adagrad");
}

void adam(float* param, const float* grad, float* m, float* v, size_t n, double lr, double beta1, double beta2,
          double epsilon, double t, double weight_decay) {
  if (n == 0) return;
  const double c1 = 1 - std::pow(beta1, t), c2 = 1 - std::pow(beta2, t);
  adam_kernel<<<blocks_for(n), kThreads, 0, stream()>>>(param, grad, m, v, n, lr, beta1, beta2, epsilon, c1, c2,
                                                        weight_decay);
  check_launch("adam");
}

void sgd(float* param, const float* grad, float* velocity, size_t n, double lr, double momentum, bool nesterov) {
  if (n == 0) return;
  sgd_kernel<<<blocks_for(n), kThreads, 0, stream()>>>(param, grad, velocity, n, lr, momentum, nesterov);
  check_launch("sgd");
}

}  // namespace tensile::cuda
