import type { Pool2dDims, PoolKind } from '../backend.js';

// 2-D pooling, NHWC. A window covers rows oy·strideH − padTop + [0, kh) (columns likewise), clipped to the
// input: max takes the first largest value (a NaN only when it comes first), avg divides by the number of
// input pixels in the window (TensorFlow's rule for 'same' padding).

/** Calls f(iy, ix) for the window's pixels inside the input, in row-major order; returns how many there were. */
function window(d: Pool2dDims, oy: number, ox: number, f: (iy: number, ix: number, first: boolean) => void): number {
  const y0 = oy * d.strideH - d.padTop,
    x0 = ox * d.strideW - d.padLeft;
  let count = 0;
  for (let iy = Math.max(y0, 0); iy < Math.min(y0 + d.kh, d.h); iy++)
    for (let ix = Math.max(x0, 0); ix < Math.min(x0 + d.kw, d.w); ix++) f(iy, ix, count++ === 0);
  return count;
}

export function pool2d(kind: PoolKind, x: Float32Array, out: Float32Array, d: Pool2dDims): void {
  const { n, h, w, c, oh, ow } = d;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ci = 0; ci < c; ci++) {
          let acc = 0;
          const count = window(d, oy, ox, (iy, ix, first) => {
            const v = x[((b * h + iy) * w + ix) * c + ci];
            if (kind === 'avg') acc += v;
            else if (first || v > acc) acc = v;
          });
          out[((b * oh + oy) * ow + ox) * c + ci] = kind === 'avg' && count > 0 ? acc / count : acc;
        }
}

export function pool2dBackward(
  kind: PoolKind,
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  d: Pool2dDims,
): void {
  const { n, h, w, c, oh, ow } = d;
  dx.fill(0);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ci = 0; ci < c; ci++) {
          const g = dy[((b * oh + oy) * ow + ox) * c + ci];
          if (kind === 'avg') {
            const count = window(d, oy, ox, () => {});
            window(d, oy, ox, (iy, ix) => (dx[((b * h + iy) * w + ix) * c + ci] += g / count));
          } else {
            let best = 0,
              at = -1;
            window(d, oy, ox, (iy, ix, first) => {
              const i = ((b * h + iy) * w + ix) * c + ci;
              if (first || x[i] > best) [best, at] = [x[i], i];
            });
            if (at >= 0) dx[at] += g;
          }
        }
}
