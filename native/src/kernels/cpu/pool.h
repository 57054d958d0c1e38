// 2-D max and average pooling, NHWC: x [n, h, w, c], out/dy [n, oh, ow, c]. A window covers rows
// oy·stride_h − pad_top + [0, kh) (columns likewise), clipped to the input: max takes the first largest
// value, avg divides by the number of input pixels in the window (TensorFlow's rule for 'same' padding).
// Backward passes overwrite dx. Sizes are validated by the binding.
#pragma once
#include <cstddef>

namespace tensile::cpu {

struct Pool2dDims {
  size_t n, h, w, c, kh, kw, oh, ow;
  size_t stride_h, stride_w, pad_top, pad_left;
};

void max_pool2d(const float* x, float* out, const Pool2dDims& d) noexcept;
void avg_pool2d(const float* x, float* out, const Pool2dDims& d) noexcept;
void max_pool2d_backward(const float* x, const float* dy, float* dx, const Pool2dDims& d);
void avg_pool2d_backward(const float* dy, float* dx, const Pool2dDims& d) noexcept;

}  // namespace tensile::cpu
