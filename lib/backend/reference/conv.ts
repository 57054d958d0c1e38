import type { Conv2dDims, Conv2dGrads } from '../backend.js';
import type { DenseActivation } from '../kinds.js';
import { dense, denseBackward } from './dense.js';

// Convolution as im2col + the dense kernel: each output pixel's receptive field becomes one row of
// `cols` [n·oh·ow, kh·kw·c], in the kernel's own [kh, kw, c] order, so out = act(cols·w + b) and the
// gradients are dense's: dw = colsᵀ·dPre, db = Σ dPre, dcols = dPre·wᵀ, then dx = col2im(dcols).

/** Copy every receptive field of x into a row of cols (zeros where it reaches into the padding). */
export function im2col(x: Float32Array, cols: Float32Array, d: Conv2dDims): void {
  const { n, h, w, c, kh, kw, oh, ow } = d;
  let r = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * d.strideH - d.padTop + ky * d.dilationH;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * d.strideW - d.padLeft + kx * d.dilationW;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            const src = ((b * h + iy) * w + ix) * c;
            for (let ci = 0; ci < c; ci++) cols[r++] = inside ? x[src + ci] : 0;
          }
        }
}

/** The adjoint of im2col: add each row of cols back onto the pixels it was copied from (dx is zeroed here). */
export function col2im(cols: Float32Array, dx: Float32Array, d: Conv2dDims): void {
  const { n, h, w, c, kh, kw, oh, ow } = d;
  dx.fill(0);
  let r = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * d.strideH - d.padTop + ky * d.dilationH;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * d.strideW - d.padLeft + kx * d.dilationW;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              r += c;
              continue;
            }
            const dst = ((b * h + iy) * w + ix) * c;
            for (let ci = 0; ci < c; ci++) dx[dst + ci] += cols[r++];
          }
        }
}

const gemmDims = (d: Conv2dDims) => ({ m: d.n * d.oh * d.ow, k: d.kh * d.kw * d.c, n: d.cout });

export function conv2d(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  out: Float32Array,
  d: Conv2dDims,
  act: DenseActivation,
): void {
  const g = gemmDims(d);
  const cols = new Float32Array(g.m * g.k);
  im2col(x, cols, d);
  dense(cols, w, b, out, g, act);
}

export function conv2dBackward(
  x: Float32Array,
  w: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  grads: Conv2dGrads,
  d: Conv2dDims,
  act: DenseActivation,
): void {
  const g = gemmDims(d);
  const cols = new Float32Array(g.m * g.k);
  im2col(x, cols, d);
  const dcols = grads.dx.length ? new Float32Array(g.m * g.k) : grads.dx;
  denseBackward(cols, w, y, dy, { dx: dcols, dw: grads.dw, db: grads.db }, g, act);
  if (grads.dx.length) col2im(dcols, grads.dx, d);
}
