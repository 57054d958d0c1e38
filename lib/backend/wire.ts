import type { Conv2dDims, Pool2dDims } from './backend.js';

/**
 * Shapes, strides and geometries cross N-API as Float64Arrays, reused per (argument slot, length): the addon
 * copies them before it returns, and allocating three small typed arrays per call costs more than a small kernel.
 * Shared by the native adapter and the CUDA device adapter.
 */
const scratch: Float64Array[][] = [[], [], [], []];
export function f64(slot: number, xs: readonly number[]): Float64Array {
  const a = (scratch[slot][xs.length] ??= new Float64Array(xs.length));
  a.set(xs);
  return a;
}

/** Conv2dDims in the order the conv bindings read them (native/src/binding/geometry.h). */
export const convGeom = (d: Conv2dDims): Float64Array =>
  f64(0, [
    d.n,
    d.h,
    d.w,
    d.c,
    d.kh,
    d.kw,
    d.cout,
    d.oh,
    d.ow,
    d.strideH,
    d.strideW,
    d.dilationH,
    d.dilationW,
    d.padTop,
    d.padLeft,
  ]);
/** Pool2dDims in the order the pooling bindings read them. */
export const poolGeom = (d: Pool2dDims): Float64Array =>
  f64(0, [d.n, d.h, d.w, d.c, d.kh, d.kw, d.oh, d.ow, d.strideH, d.strideW, d.padTop, d.padLeft]);
