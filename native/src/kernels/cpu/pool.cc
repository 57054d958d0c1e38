#include "pool.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "multiversion.h"

namespace tensile::cpu {

namespace {
using Index = std::ptrdiff_t;

// The input rows [y0, y1) and columns [x0, x1) of output pixel (oy, ox)'s window.
struct Window {
  size_t y0, y1, x0, x1;
  size_t count() const { return (y1 - y0) * (x1 - x0); }
};
Window window(const Pool2dDims& d, size_t oy, size_t ox) {
  const Index ys = Index(oy * d.stride_h) - Index(d.pad_top), xs = Index(ox * d.stride_w) - Index(d.pad_left);
  const Index y0 = std::max<Index>(ys, 0), y1 = std::min<Index>(ys + Index(d.kh), Index(d.h));
  const Index x0 = std::max<Index>(xs, 0), x1 = std::min<Index>(xs + Index(d.kw), Index(d.w));
  if (y1 <= y0 || x1 <= x0) return {0, 0, 0, 0};
  return {size_t(y0), size_t(y1), size_t(x0), size_t(x1)};
}
}  // namespace

// Loops run over channels innermost: c contiguous floats per pixel, vectorized.
TENSILE_MULTIVERSION void max_pool2d(const float* x, float* out, const Pool2dDims& d) noexcept {
  const size_t c = d.c;
  for (size_t b = 0; b < d.n; ++b) {
    const float* xb = x + b * d.h * d.w * c;
    for (size_t oy = 0; oy < d.oh; ++oy)
      for (size_t ox = 0; ox < d.ow; ++ox) {
        float* __restrict o = out + ((b * d.oh + oy) * d.ow + ox) * c;
        const Window win = window(d, oy, ox);
        if (win.count() == 0) {
          std::fill_n(o, c, 0.0f);
          continue;
        }
        bool first = true;
        for (size_t iy = win.y0; iy < win.y1; ++iy)
          for (size_t ix = win.x0; ix < win.x1; ++ix) {
            const float* __restrict p = xb + (iy * d.w + ix) * c;
            if (first) std::memcpy(o, p, c * sizeof(float));
            else
              for (size_t ci = 0; ci < c; ++ci) o[ci] = p[ci] > o[ci] ? p[ci] : o[ci];
            first = false;
          }
      }
  }
}

TENSILE_MULTIVERSION void avg_pool2d(const float* x, float* out, const Pool2dDims& d) noexcept {
  const size_t c = d.c;
  for (size_t b = 0; b < d.n; ++b) {
    const float* xb = x + b * d.h * d.w * c;
    for (size_t oy = 0; oy < d.oh; ++oy)
      for (size_t ox = 0; ox < d.ow; ++ox) {
        float* __restrict o = out + ((b * d.oh + oy) * d.ow + ox) * c;
        std::fill_n(o, c, 0.0f);
        const Window win = window(d, oy, ox);
        for (size_t iy = win.y0; iy < win.y1; ++iy)
          for (size_t ix = win.x0; ix < win.x1; ++ix) {
            const float* __restrict p = xb + (iy * d.w + ix) * c;
            for (size_t ci = 0; ci < c; ++ci) o[ci] += p[ci];
          }
        const size_t count = win.count();
        if (count > 0)
          for (size_t ci = 0; ci < c; ++ci) o[ci] /= float(count);
      }
  }
}

// Two passes per window, both vectorized over channels: the max and the window index of its first occurrence
// (strictly greater replaces, as the forward pass compares; a NaN first pixel stays the max), then each pixel
// takes dy where it is that index. Windows that cannot overlap (stride ≥ kernel) write dx instead of adding to it,
// so only the pixels no window covers are zeroed first.
TENSILE_MULTIVERSION void max_pool2d_backward(const float* x, const float* dy, float* dx, const Pool2dDims& d) {
  const size_t c = d.c;
  const bool disjoint = d.stride_h >= d.kh && d.stride_w >= d.kw;
  std::vector<float> best_buf(c);
  std::vector<int32_t> arg_buf(c);
  float* __restrict best = best_buf.data();
  int32_t* __restrict arg = arg_buf.data();
  // Rows and columns some window covers: with disjoint windows, a pixel is written iff both are.
  std::vector<unsigned char> row_hit(d.h, 0), col_hit(d.w, 0);
  for (size_t oy = 0; oy < d.oh; ++oy) {
    const Window win = window(d, oy, 0);
    for (size_t iy = win.y0; iy < win.y1; ++iy) row_hit[iy] = 1;
  }
  for (size_t ox = 0; ox < d.ow; ++ox) {
    const Window win = window(d, 0, ox);
    for (size_t ix = win.x0; ix < win.x1; ++ix) col_hit[ix] = 1;
  }
  for (size_t b = 0; b < d.n; ++b) {
    const float* xb = x + b * d.h * d.w * c;
    float* db = dx + b * d.h * d.w * c;
    for (size_t iy = 0; iy < d.h; ++iy)
      for (size_t ix = 0; ix < d.w; ++ix)
        if (!disjoint || !row_hit[iy] || !col_hit[ix]) std::fill_n(db + (iy * d.w + ix) * c, c, 0.0f);
    for (size_t oy = 0; oy < d.oh; ++oy)
      for (size_t ox = 0; ox < d.ow; ++ox) {
        const Window win = window(d, oy, ox);
        if (win.count() == 0) continue;
        std::memcpy(best, xb + (win.y0 * d.w + win.x0) * c, c * sizeof(float));
        std::fill_n(arg, c, 0);
        int32_t j = 0;
        for (size_t iy = win.y0; iy < win.y1; ++iy)
          for (size_t ix = win.x0; ix < win.x1; ++ix, ++j) {
            const float* __restrict p = xb + (iy * d.w + ix) * c;
            for (size_t ci = 0; ci < c; ++ci) {
              const bool more = p[ci] > best[ci];
              best[ci] = more ? p[ci] : best[ci];
              arg[ci] = more ? j : arg[ci];
            }
          }
        const float* __restrict g = dy + ((b * d.oh + oy) * d.ow + ox) * c;
        j = 0;
        for (size_t iy = win.y0; iy < win.y1; ++iy)
          for (size_t ix = win.x0; ix < win.x1; ++ix, ++j) {
            float* __restrict q = db + (iy * d.w + ix) * c;
            if (disjoint)
              for (size_t ci = 0; ci < c; ++ci) q[ci] = arg[ci] == j ? g[ci] : 0.0f;
            else
              for (size_t ci = 0; ci < c; ++ci) q[ci] += arg[ci] == j ? g[ci] : 0.0f;
          }
      }
  }
}

TENSILE_MULTIVERSION void avg_pool2d_backward(const float* dy, float* dx, const Pool2dDims& d) noexcept {
  const size_t c = d.c;
  std::fill_n(dx, d.n * d.h * d.w * c, 0.0f);  // not memset: memset(nullptr, 0, 0) is undefined (empty batch)
  for (size_t b = 0; b < d.n; ++b) {
    float* xb = dx + b * d.h * d.w * c;
    for (size_t oy = 0; oy < d.oh; ++oy)
      for (size_t ox = 0; ox < d.ow; ++ox) {
        const Window win = window(d, oy, ox);
        const float count = float(win.count());
        const float* __restrict g = dy + ((b * d.oh + oy) * d.ow + ox) * c;
        for (size_t iy = win.y0; iy < win.y1; ++iy)
          for (size_t ix = win.x0; ix < win.x1; ++ix) {
            float* __restrict p = xb + (iy * d.w + ix) * c;
            for (size_t ci = 0; ci < c; ++ci) p[ci] += g[ci] / count;
          }
      }
  }
}

}  // namespace tensile::cpu
