// im2col/col2im for convolution as GEMM, and 2-D pooling, NHWC, with the CPU kernels' layout and
// semantics. col2im gathers (one thread per input element, no atomics: deterministic); max-pool
// backward scatters each window's gradient with atomicAdd (overlapping windows add in any order).
#include "common.cuh"

namespace tensile::cuda {
namespace {

using Index = long long;

__global__ void im2col_kernel(const float* x, float* cols, ConvGeom d, size_t b0, size_t total) {
  const size_t K = d.kh * d.kw * d.c;
  TENSILE_GRID_LOOP(i, total) {
    const size_t ci = i % d.c, kx = (i / d.c) % d.kw, ky = (i / (d.c * d.kw)) % d.kh;
    const size_t pix = i / K, ox = pix % d.ow, oy = (pix / d.ow) % d.oh, b = b0 + pix / (d.ow * d.oh);
    const Index iy = Index(oy * d.stride_h) - Index(d.pad_top) + Index(ky * d.dilation_h);
    const Index ix = Index(ox * d.stride_w) - Index(d.pad_left) + Index(kx * d.dilation_w);
    cols[i] = (iy < 0 || iy >= Index(d.h) || ix < 0 || ix >= Index(d.w))
                  ? 0.f
                  : x[((b * d.h + size_t(iy)) * d.w + size_t(ix)) * d.c + ci];
  }
}

// dx[b, iy, ix, ci] += Σ over the (oy, ox, ky, kx) that read it of cols[(b, oy, ox), (ky, kx, ci)].
__global__ void col2im_kernel(const float* cols, float* dx, ConvGeom d, size_t b0, size_t total) {
  const size_t K = d.kh * d.kw * d.c;
  TENSILE_GRID_LOOP(i, total) {
    const size_t ci = i % d.c, ix = (i / d.c) % d.w, iy = (i / (d.c * d.w)) % d.h, bl = i / (d.c * d.w * d.h);
    float acc = 0;
    for (size_t ky = 0; ky < d.kh; ++ky) {
      const Index ty = Index(iy) + Index(d.pad_top) - Index(ky * d.dilation_h);
      if (ty < 0 || ty % Index(d.stride_h) != 0) continue;
      const size_t oy = size_t(ty) / d.stride_h;
      if (oy >= d.oh) continue;
      for (size_t kx = 0; kx < d.kw; ++kx) {
        const Index tx = Index(ix) + Index(d.pad_left) - Index(kx * d.dilation_w);
        if (tx < 0 || tx % Index(d.stride_w) != 0) continue;
        const size_t ox = size_t(tx) / d.stride_w;
        if (ox >= d.ow) continue;
        acc += cols[((bl * d.oh + oy) * d.ow + ox) * K + (ky * d.kw + kx) * d.c + ci];
      }
    }
    dx[(b0 * d.h * d.w * d.c) + i] += acc;
  }
}

struct Window {
  size_t y0, y1, x0, x1;
};
__device__ Window window(const PoolGeom& d, size_t oy, size_t ox) {
  const Index ys = Index(oy * d.stride_h) - Index(d.pad_top), xs = Index(ox * d.stride_w) - Index(d.pad_left);
  const Index y0 = ys < 0 ? 0 : ys, y1 = ys + Index(d.kh) < Index(d.h) ? ys + Index(d.kh) : Index(d.h);
  const Index x0 = xs < 0 ? 0 : xs, x1 = xs + Index(d.kw) < Index(d.w) ? xs + Index(d.kw) : Index(d.w);
  if (y1 <= y0 || x1 <= x0) return {0, 0, 0, 0};
  return {size_t(y0), size_t(y1), size_t(x0), size_t(x1)};
}

// The CPU's running max: the first element, then p > best ? p : best (a NaN counts only when first).
__device__ size_t window_argmax(const float* xb, const PoolGeom& d, const Window& w, size_t ci, float* best) {
  size_t at = (w.y0 * d.w + w.x0) * d.c + ci;
  float b = xb[at];
  for (size_t iy = w.y0; iy < w.y1; ++iy)
    for (size_t ix = w.x0; ix < w.x1; ++ix) {
      const size_t p = (iy * d.w + ix) * d.c + ci;
      if (xb[p] > b) b = xb[p], at = p;
    }
  *best = b;
  return at;
}

__global__ void pool_kernel(bool max, const float* x, float* out, PoolGeom d, size_t total) {
  TENSILE_GRID_LOOP(i, total) {
    const size_t ci = i % d.c, ox = (i / d.c) % d.ow, oy = (i / (d.c * d.ow)) % d.oh, b = i / (d.c * d.ow * d.oh);
    const float* xb = x + b * d.h * d.w * d.c;
    const Window w = window(d, oy, ox);
    const size_t count = (w.y1 - w.y0) * (w.x1 - w.x0);
    if (count == 0) {
      out[i] = 0;
      continue;
    }
    if (max) {
      float best;
      window_argmax(xb, d, w, ci, &best);
      out[i] = best;
    } else {
      float s = 0;
      for (size_t iy = w.y0; iy < w.y1; ++iy)
        for (size_t ix = w.x0; ix < w.x1; ++ix) s += xb[(iy * d.w + ix) * d.c + ci];
      out[i] = s / float(count);
    }
  }
}

// Max: the window's gradient goes to the first element equal to its max (the first NaN when the max is NaN).
__global__ void max_pool_backward_kernel(const float* x, const float* dy, float* dx, PoolGeom d, size_t total) {
  TENSILE_GRID_LOOP(i, total) {
    const size_t ci = i % d.c, ox = (i / d.c) % d.ow, oy = (i / (d.c * d.ow)) % d.oh, b = i / (d.c * d.ow * d.oh);
    const float* xb = x + b * d.h * d.w * d.c;
    const Window w = window(d, oy, ox);
    if ((w.y1 - w.y0) * (w.x1 - w.x0) == 0) continue;
    float best;
    window_argmax(xb, d, w, ci, &best);
    size_t hit = SIZE_MAX;
    for (size_t iy = w.y0; iy < w.y1 && hit == SIZE_MAX; ++iy)
      for (size_t ix = w.x0; ix < w.x1; ++ix) {
        const size_t p = (iy * d.w + ix) * d.c + ci;
        if (xb[p] == best || (xb[p] != xb[p] && best != best)) {
          hit = p;
          break;
        }
      }
    if (hit != SIZE_MAX) atomicAdd(dx + b * d.h * d.w * d.c + hit, dy[i]);
  }
}

// Avg: gather, for each input element, dy/count of every window that holds it.
__global__ void avg_pool_backward_kernel(const float* dy, float* dx, PoolGeom d, size_t total) {
  TENSILE_GRID_LOOP(i, total) {
    const size_t ci = i % d.c, ix = (i / d.c) % d.w, iy = (i / (d.c * d.w)) % d.h, b = i / (d.c * d.w * d.h);
    float acc = 0;
    for (size_t oy = 0; oy < d.oh; ++oy) {
      const Index ys = Index(oy * d.stride_h) - Index(d.pad_top);
      if (Index(iy) < ys || Index(iy) >= ys + Index(d.kh)) continue;
      for (size_t ox = 0; ox < d.ow; ++ox) {
        const Index xs = Index(ox * d.stride_w) - Index(d.pad_left);
        if (Index(ix) < xs || Index(ix) >= xs + Index(d.kw)) continue;
        const Window w = window(d, oy, ox);
        acc += dy[((b * d.oh + oy) * d.ow + ox) * d.c + ci] / float((w.y1 - w.y0) * (w.x1 - w.x0));
      }
    }
    dx[i] = acc;
  }
}

}  // namespace

void im2col(const float* x, float* cols, const ConvGeom& d, size_t b0, size_t b1) {
  const size_t total = (b1 - b0) * d.oh * d.ow * d.kh * d.kw * d.c;
  if (total == 0) return;
  im2col_kernel<<<blocks_for(total), kThreads, 0, stream()>>>(x, cols, d, b0, total);
  check_launch("im2col");
}

void col2im(const float* cols, float* dx, const ConvGeom& d, size_t b0, size_t b1) {
  const size_t total = (b1 - b0) * d.h * d.w * d.c;
  if (total == 0) return;
  col2im_kernel<<<blocks_for(total), kThreads, 0, stream()>>>(cols, dx, d, b0, total);
  check_launch("col2im");
}

void pool2d(bool max, const float* x, float* out, const PoolGeom& d) {
  const size_t total = d.n * d.oh * d.ow * d.c;
  if (total == 0) return;
  pool_kernel<<<blocks_for(total), kThreads, 0, stream()>>>(max, x, out, d, total);
  check_launch("pool2d");
}

void pool2d_backward(bool max, const float* x, const float* dy, float* dx, const PoolGeom& d) {
  const size_t in_total = d.n * d.h * d.w * d.c, out_total = d.n * d.oh * d.ow * d.c;
  if (in_total == 0) return;
  if (max) {
    fill(dx, in_total, 0.f);
    if (out_total == 0) return;
    max_pool_backward_kernel<<<blocks_for(out_total), kThreads, 0, stream()>>>(x, dy, dx, d, out_total);
  } else {
    avg_pool_backward_kernel<<<blocks_for(in_total), kThreads, 0, stream()>>>(dy, dx, d, in_total);
  }
  check_launch("pool2d_backward");
}

}  // namespace tensile::cuda
