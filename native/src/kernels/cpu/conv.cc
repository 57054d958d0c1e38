#include "conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "dense.h"

namespace tensile::cpu {

namespace {
using Index = std::ptrdiff_t;

// im2col rows are built for a chunk of samples at a time so that the scratch stays near this many floats
// (16 MB): a batch-10,000 predict must not allocate gigabytes, and a training batch fits in one chunk.
constexpr size_t kColsBudget = size_t(1) << 22;

// A 1×1 kernel with stride 1 and no padding reads x itself: its im2col rows are x's pixels.
bool identity_cols(const Conv2dDims& d) {
  return d.kh == 1 && d.kw == 1 && d.stride_h == 1 && d.stride_w == 1 && d.pad_top == 0 && d.pad_left == 0 &&
         d.oh == d.h && d.ow == d.w;
}

size_t chunk_samples(const Conv2dDims& d) {
  const size_t per = d.oh * d.ow * d.kh * d.kw * d.c;
  return per == 0 ? std::max<size_t>(d.n, 1) : std::max<size_t>(1, kColsBudget / per);
}

float* scratch(std::vector<float>& buf, size_t n) {
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}
}  // namespace

void im2col(const float* x, float* cols, const Conv2dDims& d, size_t b0, size_t b1) noexcept {
  const size_t c = d.c, row = d.kw * c;
  float* dst = cols;
  for (size_t b = b0; b < b1; ++b) {
    const float* xb = x + b * d.h * d.w * c;
    for (size_t oy = 0; oy < d.oh; ++oy)
      for (size_t ox = 0; ox < d.ow; ++ox)
        for (size_t ky = 0; ky < d.kh; ++ky, dst += row) {
          const Index iy = Index(oy * d.stride_h) - Index(d.pad_top) + Index(ky * d.dilation_h);
          if (iy < 0 || iy >= Index(d.h)) {
            std::memset(dst, 0, row * sizeof(float));
            continue;
          }
          const Index ix0 = Index(ox * d.stride_w) - Index(d.pad_left);
          if (d.dilation_w == 1 && ix0 >= 0 && ix0 + Index(d.kw) <= Index(d.w)) {
            // The whole kernel row lies inside: kw·c contiguous floats (one copy, not kw small ones: c is often 1–3).
            std::memcpy(dst, xb + (size_t(iy) * d.w + size_t(ix0)) * c, row * sizeof(float));
            continue;
          }
          for (size_t kx = 0; kx < d.kw; ++kx) {
            const Index ix = ix0 + Index(kx * d.dilation_w);
            if (ix < 0 || ix >= Index(d.w)) std::memset(dst + kx * c, 0, c * sizeof(float));
            else std::memcpy(dst + kx * c, xb + (size_t(iy) * d.w + size_t(ix)) * c, c * sizeof(float));
          }
        }
  }
}

void col2im(const float* cols, float* dx, const Conv2dDims& d, size_t b0, size_t b1) noexcept {
  const size_t c = d.c;
  const float* src = cols;
  for (size_t b = b0; b < b1; ++b) {
    float* xb = dx + b * d.h * d.w * c;
    for (size_t oy = 0; oy < d.oh; ++oy)
      for (size_t ox = 0; ox < d.ow; ++ox)
        for (size_t ky = 0; ky < d.kh; ++ky) {
          const Index iy = Index(oy * d.stride_h) - Index(d.pad_top) + Index(ky * d.dilation_h);
          for (size_t kx = 0; kx < d.kw; ++kx, src += c) {
            const Index ix = Index(ox * d.stride_w) - Index(d.pad_left) + Index(kx * d.dilation_w);
            if (iy < 0 || iy >= Index(d.h) || ix < 0 || ix >= Index(d.w)) continue;
            float* __restrict p = xb + (size_t(iy) * d.w + size_t(ix)) * c;
            for (size_t ci = 0; ci < c; ++ci) p[ci] += src[ci];
          }
        }
  }
}

void conv2d(const float* x, const float* w, const float* b, float* out, const Conv2dDims& d, DenseAct act) {
  const size_t k = d.kh * d.kw * d.c, pixels = d.oh * d.ow;
  if (identity_cols(d)) return dense(x, w, b, out, {d.n * pixels, k, d.cout}, act);
  thread_local std::vector<float> buf;
  const size_t chunk = chunk_samples(d);
  float* cols = scratch(buf, std::min(chunk, d.n) * pixels * k);
  for (size_t b0 = 0; b0 < d.n; b0 += chunk) {
    const size_t b1 = std::min(d.n, b0 + chunk);
    im2col(x, cols, d, b0, b1);
    dense(cols, w, b, out + b0 * pixels * d.cout, {(b1 - b0) * pixels, k, d.cout}, act);
  }
}

void conv2d_backward(const float* x, const float* w, const float* y, const float* dy, float* dx, float* dw, float* db,
                     const Conv2dDims& d, DenseAct act) {
  const size_t k = d.kh * d.kw * d.c, pixels = d.oh * d.ow, yrow = pixels * d.cout;
  if (identity_cols(d)) return dense_backward(x, w, y, dy, dx, dw, db, {d.n * pixels, k, d.cout}, act);
  thread_local std::vector<float> cols_buf, dcols_buf, dw_buf, db_buf;
  const size_t chunk = chunk_samples(d), rows = std::min(chunk, d.n) * pixels;
  const bool chunked = d.n > chunk;
  float* cols = scratch(cols_buf, rows * k);
  float* dcols = dx ? scratch(dcols_buf, rows * k) : nullptr;
  // With several chunks, each chunk's dw and db go to scratch and are summed into the outputs.
  float* dw_part = dw && chunked ? scratch(dw_buf, k * d.cout) : dw;
  float* db_part = db && chunked ? scratch(db_buf, d.cout) : db;
  if (dx) std::memset(dx, 0, d.n * d.h * d.w * d.c * sizeof(float));
  if (chunked && dw) std::memset(dw, 0, k * d.cout * sizeof(float));
  if (chunked && db) std::memset(db, 0, d.cout * sizeof(float));
  for (size_t b0 = 0; b0 < d.n; b0 += chunk) {
    const size_t b1 = std::min(d.n, b0 + chunk);
    im2col(x, cols, d, b0, b1);
    dense_backward(cols, w, y + b0 * yrow, dy + b0 * yrow, dcols, dw_part, db_part, {(b1 - b0) * pixels, k, d.cout},
                   act);
    if (dx) col2im(dcols, dx, d, b0, b1);
    if (chunked && dw)
      for (size_t i = 0; i < k * d.cout; ++i) dw[i] += dw_part[i];
    if (chunked && db)
      for (size_t i = 0; i < d.cout; ++i) db[i] += db_part[i];
  }
}

}  // namespace tensile::cpu
