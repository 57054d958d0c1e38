// 2-D convolution, NHWC, as im2col + the dense kernel: each output pixel's receptive field becomes one
// row of cols [n·oh·ow, kh·kw·c] (in the kernel's [kh, kw, c] order), so out = act(cols·w + b) and the
// gradients are dense's, with dx = col2im(dcols). x [n, h, w, c], w [kh, kw, c, cout], b [cout] (may be
// null), out/y/dy [n, oh, ow, cout]. Sizes are validated by the binding: every GEMM dimension fits in int.
// These kernels allocate their scratch and may throw std::bad_alloc (the binding turns it into a JS error).
// Why not direct convolution for small kernels: measured here (2 cores, OPENBLAS_CORETYPE=Haswell, batch 64, 3×3),
// a direct loop vectorized over output channels took 1.96 ms vs 1.56 ms for im2col + sgemm with 1 input channel
// (28×28→32), 3.7 vs 3.4 ms with 8 (14×14→16) and 21.7 vs 7.4 ms with 32 (13×13→64): im2col + GEMM everywhere.
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
