// 2-D convolution, NHWC. x [n, h, w, c], w [kh, kw, c, cout], b [cout] (may be null), out/y/dy [n, oh, ow, cout].
// Two ways, the same results up to float rounding:
// - im2col + GEMM: each output pixel's receptive field becomes one row of cols [n·oh·ow, kh·kw·c] (in the kernel's
//   [kh, kw, c] order), so out = act(cols·w + b) and the gradients are dense's, with dx = col2im(dcols);
// - direct, when kh·kw·c ≤ 32 (a first layer: 9 for one channel, 27 for RGB): tiles of output pixels × 16 output
//   channels accumulate in registers, reading each field in place in x (or a gathered copy where it reaches into
//   the padding). Measured here (batch 64, 28×28×1 → 32, one thread): forward 0.6–1.1 ms vs 2.0–2.8 ms for
//   im2col + sgemm (k = 9 leaves the GEMM mostly packing), dw and db 1.2–1.5 ms vs 2.3–2.8 ms.
// Sizes are validated by the binding: every GEMM dimension fits in int.
// These kernels allocate their scratch and may throw std::bad_alloc (the binding turns it into a JS error).
#pragma once
#include <cstddef>

#include "kinds.h"

namespace tensile::cpu {

struct Conv2dDims {
  size_t n, h, w, c, kh, kw, cout, oh, ow;
  size_t stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left;
};

// Samples [b0, b1) of x into cols (rows of kh·kw·c, zeros where a field reaches into the padding).
void im2col(const float* x, float* cols, const Conv2dDims& d, size_t b0, size_t b1) noexcept;
// The adjoint: adds the rows of cols for samples [b0, b1) onto dx (which the caller zeroed).
void col2im(const float* cols, float* dx, const Conv2dDims& d, size_t b0, size_t b1) noexcept;

void conv2d(const float* x, const float* w, const float* b, float* out, const Conv2dDims& d, DenseAct act);
// dx, dw, db may each be null (not needed).
void conv2d_backward(const float* x, const float* w, const float* y, const float* dy, float* dx, float* dw, float* db,
                     const Conv2dDims& d, DenseAct act);

}  // namespace tensile::cpu
