#include "conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "dense.h"
#include "elementwise.h"
#include "gemm.h"
#include "multiversion.h"
#include "softmax.h"

namespace tensile::cpu {

namespace {
using Index = std::ptrdiff_t;

// im2col rows are built for a chunk of samples at a time so that the scratch stays near this many floats (1 MB):
// a batch-10,000 predict must not allocate gigabytes, and a chunk's columns (and their gradient) are still in L2
// when the GEMMs and col2im read them (measured here, batch 64 13×13×32 → 64: forward and backward about 10%
// faster than one chunk of the whole batch).
constexpr size_t kColsBudget = size_t(1) << 18;

// The direct forward kernel's tile: this many output pixels at a time (× 16 output channels in registers).
constexpr size_t kTile = 4;
// Backward: pixels per block (their dPre rows and fields stay in L1 while dw and dx are formed).
constexpr size_t kBlock = 32;
// The largest kh·kw·c that goes direct.
constexpr size_t kDirectMaxK = 32;

// Eight floats, loaded and stored unaligned; the x86-64-v3 clone makes them one AVX register.
typedef float v8 __attribute__((vector_size(32), aligned(4)));

// A 1×1 kernel with stride 1 and no padding reads x itself: its im2col rows are x's pixels.
bool identity_cols(const Conv2dDims& d) {
  return d.kh == 1 && d.kw == 1 && d.stride_h == 1 && d.stride_w == 1 && d.pad_top == 0 && d.pad_left == 0 &&
         d.oh == d.h && d.ow == d.w;
}

// Samples per chunk: as few chunks as the budget allows, of equal size.
size_t chunk_samples(const Conv2dDims& d) {
  const size_t per = d.oh * d.ow * d.kh * d.kw * d.c;
  if (per == 0 || d.n == 0) return std::max<size_t>(d.n, 1);
  const size_t chunks = (d.n * per + kColsBudget - 1) / kColsBudget;
  return (d.n + chunks - 1) / chunks;
}

float* scratch(std::vector<float>& buf, size_t n) {
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

// An output pixel: its sample and the top-left corner of its receptive field in x. Pixels are visited in order
// (flat over [n, oh, ow]) by stepping a cursor: no division per pixel.
struct Pixel {
  size_t b;
  Index y0, x0;
};
struct PixelCursor {
  const Conv2dDims& d;
  size_t b, oy, ox;
  PixelCursor(const Conv2dDims& dims, size_t p) : d(dims), b(0), oy(0), ox(0) {
    if (d.ow == 0 || d.oh == 0) return;
    ox = p % d.ow;
    oy = (p / d.ow) % d.oh;
    b = p / (d.ow * d.oh);
  }
  Pixel operator*() const noexcept {
    return {b, Index(oy * d.stride_h) - Index(d.pad_top), Index(ox * d.stride_w) - Index(d.pad_left)};
  }
  void next() noexcept {
    if (++ox < d.ow) return;
    ox = 0;
    if (++oy < d.oh) return;
    oy = 0;
    ++b;
  }
};

// One output pixel's receptive field as kh·kw·c floats in the kernel's [kh, kw, c] order (zeros in the padding).
inline void field(const float* x, const Conv2dDims& d, Pixel px, float* __restrict dst) noexcept {
  const size_t c = d.c, row = d.kw * c;
  const float* xb = x + px.b * d.h * d.w * c;
  for (size_t ky = 0; ky < d.kh; ++ky, dst += row) {
    const Index iy = px.y0 + Index(ky * d.dilation_h);
    if (iy < 0 || iy >= Index(d.h)) {
      std::fill_n(dst, row, 0.0f);
      continue;
    }
    const float* xr = xb + size_t(iy) * d.w * c;
    if (d.dilation_w == 1 && px.x0 >= 0 && px.x0 + Index(d.kw) <= Index(d.w)) {
      // The whole kernel row lies inside: kw·c contiguous floats.
      const float* src = xr + size_t(px.x0) * c;
      if (row <= 16)  // c is often 1–3: a loop beats a call to memcpy
        for (size_t j = 0; j < row; ++j) dst[j] = src[j];
      else std::memcpy(dst, src, row * sizeof(float));
      continue;
    }
    for (size_t kx = 0; kx < d.kw; ++kx) {
      const Index ix = px.x0 + Index(kx * d.dilation_w);
      if (ix < 0 || ix >= Index(d.w)) std::fill_n(dst + kx * c, c, 0.0f);
      else std::memcpy(dst + kx * c, xr + size_t(ix) * c, c * sizeof(float));
    }
  }
}

// The adjoint of field(): adds src (one pixel's field) onto dx, skipping the padding.
inline void unfield(const float* __restrict src, float* dx, const Conv2dDims& d, Pixel px) noexcept {
  const size_t c = d.c;
  float* xb = dx + px.b * d.h * d.w * c;
  for (size_t ky = 0; ky < d.kh; ++ky) {
    const Index iy = px.y0 + Index(ky * d.dilation_h);
    if (iy < 0 || iy >= Index(d.h)) {
      src += d.kw * c;
      continue;
    }
    for (size_t kx = 0; kx < d.kw; ++kx, src += c) {
      const Index ix = px.x0 + Index(kx * d.dilation_w);
      if (ix < 0 || ix >= Index(d.w)) continue;
      float* __restrict p = xb + (size_t(iy) * d.w + size_t(ix)) * c;
      for (size_t ci = 0; ci < c; ++ci) p[ci] += src[ci];
    }
  }
}

// Relu keeps NaN, as UnaryOp::Relu does.
inline void relu(v8& v) noexcept { v = (v > 0.0f) | (v != v) ? v : v8{}; }
inline float relu(float v) noexcept { return v > 0.0f || v != v ? v : 0.0f; }

// Where a field's k entries lie, relative to its first: in x itself for an interior field (one wholly inside x,
// read in place), or 0, 1, … k−1 in a gathered copy (one that reaches into the padding).
struct FieldOffsets {
  size_t interior[kDirectMaxK], gathered[kDirectMaxK];
  explicit FieldOffsets(const Conv2dDims& d) noexcept {
    size_t t = 0;
    for (size_t ky = 0; ky < d.kh; ++ky)
      for (size_t kx = 0; kx < d.kw; ++kx)
        for (size_t ci = 0; ci < d.c; ++ci, ++t) {
          interior[t] = (ky * d.dilation_h * d.w + kx * d.dilation_w) * d.c + ci;
          gathered[t] = t;
        }
  }
};
inline bool interior(const Conv2dDims& d, Pixel px) noexcept {
  return px.y0 >= 0 && px.x0 >= 0 && px.y0 + Index((d.kh - 1) * d.dilation_h) < Index(d.h) &&
         px.x0 + Index((d.kw - 1) * d.dilation_w) < Index(d.w);
}
inline size_t at(const Conv2dDims& d, Pixel px) noexcept {
  return ((px.b * d.h + size_t(px.y0)) * d.w + size_t(px.x0)) * d.c;
}

// The fields of `np` consecutive pixels (the cursor moves past them): src[q] + off[t] is entry t of pixel q's field,
// in x when every one is interior, else in the gathered copies. Unused slots repeat src[0].
template <size_t N>
inline const size_t* fields_of(const float* x, const Conv2dDims& d, const FieldOffsets& offs, PixelCursor& px,
                               size_t np, const float* src[N], float (*copies)[kDirectMaxK]) noexcept {
  Pixel pxs[N];
  bool inside = true;
  for (size_t q = 0; q < np; ++q, px.next()) inside = interior(d, pxs[q] = *px) && inside;
  for (size_t q = 0; q < np; ++q)
    if (inside) src[q] = x + at(d, pxs[q]);
    else {
      field(x, d, pxs[q], copies[q]);
      src[q] = copies[q];
    }
  for (size_t q = np; q < N; ++q) src[q] = src[0];
  return inside ? offs.interior : offs.gathered;
}

// out[q, co..co+8V) = bias + Σ_t field_q[t]·w[t, co..] for a tile's pixels (relu fused when asked).
// Accumulators: kTile·V vectors, kept in registers (V ≤ 2 with AVX2's 16).
template <size_t V>
inline void direct_tile(const float* const* src, const size_t* off, size_t k, const float* w, const float* b,
                        float* out, size_t cout, size_t co, size_t np, bool fuse_relu) noexcept {
  v8 acc[kTile][V];
  for (size_t v = 0; v < V; ++v) {
    const v8 init = b ? *reinterpret_cast<const v8*>(b + co + 8 * v) : v8{};
    for (size_t q = 0; q < kTile; ++q) acc[q][v] = init;
  }
  for (size_t t = 0; t < k; ++t) {
    v8 wv[V];
    for (size_t v = 0; v < V; ++v) wv[v] = *reinterpret_cast<const v8*>(w + t * cout + co + 8 * v);
    const size_t o = off[t];
    for (size_t q = 0; q < kTile; ++q)
      for (size_t v = 0; v < V; ++v) acc[q][v] += src[q][o] * wv[v];
  }
  for (size_t q = 0; q < np; ++q)
    for (size_t v = 0; v < V; ++v) {
      if (fuse_relu) relu(acc[q][v]);
      *reinterpret_cast<v8*>(out + q * cout + co + 8 * v) = acc[q][v];
    }
}

// dw[t, co..co+8V) += Σ_q field_q[t]·dPre[q, co..] over a block's pixels, the block's sum formed in registers from
// zero.
template <size_t V>
inline void dw_block(const float* const* src, const size_t* off, size_t k, const float* g, size_t np, float* dw,
                     size_t cout, size_t co) noexcept {
  for (size_t t = 0; t < k; ++t) {
    v8 acc[V] = {};
    const size_t o = off[t];
    for (size_t q = 0; q < np; ++q)
      for (size_t v = 0; v < V; ++v) acc[v] += src[q][o] * *reinterpret_cast<const v8*>(g + q * cout + co + 8 * v);
    for (size_t v = 0; v < V; ++v) *reinterpret_cast<v8*>(dw + t * cout + co + 8 * v) += acc[v];
  }
}

// dfield[0, 8·KV) = Σ_co g[co]·wt[co, ·]: one pixel's dx field (wt is wᵀ padded to KV vectors a row).
template <size_t KV>
inline void dx_field(const float* g, const float* wt, size_t cout, float* dfield) noexcept {
  v8 acc[KV] = {};
  for (size_t co = 0; co < cout; ++co)
    for (size_t v = 0; v < KV; ++v) acc[v] += g[co] * *reinterpret_cast<const v8*>(wt + (co * KV + v) * 8);
  for (size_t v = 0; v < KV; ++v) *reinterpret_cast<v8*>(dfield + 8 * v) = acc[v];
}

// act(pre) → out for the activations that are not fused (pre ≠ out).
void activate(const float* pre, float* out, size_t rows, size_t cols, DenseAct act) noexcept {
  switch (act) {
    case DenseAct::Linear:
    case DenseAct::Relu: break;
    case DenseAct::Sigmoid: unary(UnaryOp::Sigmoid, pre, out, rows * cols); break;
    case DenseAct::Tanh: unary(UnaryOp::Tanh, pre, out, rows * cols); break;
    case DenseAct::Softmax: softmax(pre, out, rows, cols, false); break;
  }
}

// Small receptive fields (the first layer of an image model: kh·kw·c = 9 or 27) go direct: with k this small a GEMM
// is mostly packing and im2col overhead.
bool direct_conv(const Conv2dDims& d) noexcept { return d.kh * d.kw * d.c <= kDirectMaxK && !identity_cols(d); }

TENSILE_MULTIVERSION void conv2d_direct(const float* x, const float* w, const float* b, float* out, const Conv2dDims& d,
                                        DenseAct act) {
  const size_t k = d.kh * d.kw * d.c, cout = d.cout, pixels = d.n * d.oh * d.ow;
  const bool fused = act == DenseAct::Linear || act == DenseAct::Relu, fuse_relu = act == DenseAct::Relu;
  // Sigmoid, tanh and softmax go through scratch a block of rows at a time, then act(scratch) → out.
  constexpr size_t kRows = 1024;
  thread_local std::vector<float> pre_buf;
  float* pre_block = fused ? nullptr : scratch(pre_buf, kRows * cout);
  const FieldOffsets offs(d);
  alignas(32) float copies[kTile][kDirectMaxK];
  const float* src[kTile];
  PixelCursor px(d, 0);
  for (size_t r0 = 0; r0 < pixels; r0 += kRows) {
    const size_t r1 = std::min(pixels, r0 + kRows);
    float* pre = fused ? out + r0 * cout : pre_block;
    for (size_t p0 = r0; p0 < r1; p0 += kTile) {
      const size_t np = std::min(kTile, r1 - p0);
      const size_t* off = fields_of<kTile>(x, d, offs, px, np, src, copies);
      float* o = pre + (p0 - r0) * cout;
      size_t co = 0;
      for (; co + 16 <= cout; co += 16) direct_tile<2>(src, off, k, w, b, o, cout, co, np, fuse_relu);
      if (co + 8 <= cout) direct_tile<1>(src, off, k, w, b, o, cout, co, np, fuse_relu), co += 8;
      for (; co < cout; ++co)
        for (size_t q = 0; q < np; ++q) {
          float s = b ? b[co] : 0.0f;
          for (size_t t = 0; t < k; ++t) s += src[q][off[t]] * w[t * cout + co];
          o[q * cout + co] = fuse_relu ? relu(s) : s;
        }
    }
    if (!fused) activate(pre_block, out + r0 * cout, r1 - r0, cout, act);
  }
}

TENSILE_MULTIVERSION void conv2d_backward_direct(const float* x, const float* w, const float* y, const float* dy,
                                                 float* dx, float* dw, float* db, const Conv2dDims& d, DenseAct act) {
  const size_t k = d.kh * d.kw * d.c, cout = d.cout, pixels = d.n * d.oh * d.ow;
  thread_local std::vector<float> g_buf, wt_buf;
  float* g_block = act == DenseAct::Linear ? nullptr : scratch(g_buf, kBlock * cout);
  // wᵀ [cout, 8·kv] (k padded with zeros to whole vectors): a pixel's dx field is Σ_co dPre[co]·wᵀ[co, ·].
  const size_t kv = (k + 7) / 8;
  float* wt = dx ? scratch(wt_buf, cout * 8 * kv) : nullptr;
  if (dx) {
    std::fill_n(wt, cout * 8 * kv, 0.0f);
    for (size_t t = 0; t < k; ++t)
      for (size_t co = 0; co < cout; ++co) wt[co * 8 * kv + t] = w[t * cout + co];
    std::fill_n(dx, d.n * d.h * d.w * d.c, 0.0f);
  }
  if (dw) std::fill_n(dw, k * cout, 0.0f);
  if (db) std::fill_n(db, cout, 0.0f);
  const FieldOffsets offs(d);
  alignas(32) float copies[kBlock][kDirectMaxK];
  alignas(32) float dfield[kDirectMaxK];
  const float* src[kBlock];
  PixelCursor fpx(d, 0), dpx(d, 0);  // the pixels whose fields are read (for dw), and written (dx)
  for (size_t p0 = 0; p0 < pixels; p0 += kBlock) {
    const size_t np = std::min(kBlock, pixels - p0);
    // dPre for the block's rows.
    const float* g = dense_dpre(y + p0 * cout, dy + p0 * cout, g_block, np, cout, act, db);
    if (dw) {
      const size_t* off = fields_of<kBlock>(x, d, offs, fpx, np, src, copies);
      size_t co = 0;
      for (; co + 32 <= cout; co += 32) dw_block<4>(src, off, k, g, np, dw, cout, co);
      for (; co + 8 <= cout; co += 8) dw_block<1>(src, off, k, g, np, dw, cout, co);
      for (; co < cout; ++co)
        for (size_t t = 0; t < k; ++t) {
          float s = 0.0f;
          for (size_t q = 0; q < np; ++q) s += src[q][off[t]] * g[q * cout + co];
          dw[t * cout + co] += s;
        }
    }
    if (dx)
      for (size_t q = 0; q < np; ++q, dpx.next()) {
        switch (kv) {  // dfield = dPre_q·w padded to kv vectors
          case 1: dx_field<1>(g + q * cout, wt, cout, dfield); break;
          case 2: dx_field<2>(g + q * cout, wt, cout, dfield); break;
          case 3: dx_field<3>(g + q * cout, wt, cout, dfield); break;
          default: dx_field<4>(g + q * cout, wt, cout, dfield); break;
        }
        const Pixel p = *dpx;
        if (interior(d, p)) {
          float* dst = dx + at(d, p);
          for (size_t t = 0; t < k; ++t) dst[offs.interior[t]] += dfield[t];
        } else unfield(dfield, dx, d, p);
      }
  }
}
}  // namespace

void im2col(const float* x, float* cols, const Conv2dDims& d, size_t b0, size_t b1) noexcept {
  const size_t k = d.kh * d.kw * d.c, pixels = d.oh * d.ow;
  PixelCursor px(d, b0 * pixels);
  for (size_t p = b0 * pixels; p < b1 * pixels; ++p, px.next(), cols += k) field(x, d, *px, cols);
}

void col2im(const float* cols, float* dx, const Conv2dDims& d, size_t b0, size_t b1) noexcept {
  const size_t k = d.kh * d.kw * d.c, pixels = d.oh * d.ow;
  PixelCursor px(d, b0 * pixels);
  for (size_t p = b0 * pixels; p < b1 * pixels; ++p, px.next(), cols += k) unfield(cols, dx, d, *px);
}

void conv2d(const float* x, const float* w, const float* b, float* out, const Conv2dDims& d, DenseAct act) {
  const size_t k = d.kh * d.kw * d.c, pixels = d.oh * d.ow;
  if (identity_cols(d)) return dense(x, w, b, out, {d.n * pixels, k, d.cout}, act);
  if (direct_conv(d)) return conv2d_direct(x, w, b, out, d, act);
  thread_local std::vector<float> buf;
  const size_t chunk = chunk_samples(d);
  float* cols = scratch(buf, std::min(chunk, d.n) * pixels * k);
  for (size_t b0 = 0; b0 < d.n; b0 += chunk) {
    const size_t b1 = std::min(d.n, b0 + chunk);
    im2col(x, cols, d, b0, b1);
    dense(cols, w, b, out + b0 * pixels * d.cout, {(b1 - b0) * pixels, k, d.cout}, act);
  }
}

// im2col + GEMM. Per chunk of samples: dPre (the activation's derivative applied to dy), db += its column sums,
// dwᵀ += dPreᵀ·cols (one GEMM, beta = 1 after the first chunk; [cout, k] rather than colsᵀ·dPre [k, cout],
// which OpenBLAS runs about 1.5× slower for these tall-and-narrow operands), dcols = dPre·wᵀ and dx += col2im(dcols).
void conv2d_backward(const float* x, const float* w, const float* y, const float* dy, float* dx, float* dw, float* db,
                     const Conv2dDims& d, DenseAct act) {
  if (direct_conv(d)) return conv2d_backward_direct(x, w, y, dy, dx, dw, db, d, act);
  const size_t k = d.kh * d.kw * d.c, pixels = d.oh * d.ow, cout = d.cout, yrow = pixels * cout;
  const bool identity = identity_cols(d);
  thread_local std::vector<float> cols_buf, dcols_buf, dwt_buf, g_buf;
  const size_t chunk = identity ? std::max<size_t>(d.n, 1) : chunk_samples(d), rows = std::min(chunk, d.n) * pixels;
  float* cols = identity ? nullptr : scratch(cols_buf, rows * k);
  float* dcols = dx && !identity ? scratch(dcols_buf, rows * k) : dx;
  float* dwt = dw ? scratch(dwt_buf, k * cout) : nullptr;
  float* g_scratch = act == DenseAct::Linear ? nullptr : scratch(g_buf, rows * cout);
  if (dx && !identity) std::fill_n(dx, d.n * d.h * d.w * d.c, 0.0f);
  if (db) std::fill_n(db, cout, 0.0f);
  if (dw && d.n == 0) std::fill_n(dw, k * cout, 0.0f);
  for (size_t b0 = 0; b0 < d.n; b0 += chunk) {
    const size_t b1 = std::min(d.n, b0 + chunk), m = (b1 - b0) * pixels;
    const float* g = dense_dpre(y + b0 * yrow, dy + b0 * yrow, g_scratch, m, cout, act, db);
    const float* a = identity ? x + b0 * pixels * k : cols;
    if (!identity && dw) im2col(x, cols, d, b0, b1);
    if (dw) gemm({true, false, cout, k, m}, 1.0f, g, a, b0 == 0 ? 0.0f : 1.0f, dwt);
    if (dx) {
      float* dc = identity ? dx + b0 * pixels * k : dcols;
      gemm({false, true, m, k, cout}, 1.0f, g, w, 0.0f, dc);
      if (!identity) col2im(dcols, dx, d, b0, b1);
    }
  }
  if (dw && d.n > 0)
    for (size_t t = 0; t < k; ++t)
      for (size_t co = 0; co < cout; ++co) dw[t * cout + co] = dwt[co * k + t];
}

}  // namespace tensile::cpu
