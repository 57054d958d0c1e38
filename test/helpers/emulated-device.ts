import type { DeviceApi, DeviceBuffer, View } from '../../lib/backend/cuda/device.js';
import { referenceBackend as ref } from '../../lib/backend/index.js';
import type { Conv2dDims } from '../../lib/backend/backend.js';

/** A device buffer in host memory: its own Float32Array, never the tensor's. */
class EmulatedBuffer implements DeviceBuffer {
  disposed = false;
  data: Float32Array | null;
  constructor(readonly length: number) {
    this.data = new Float32Array(length).fill(NaN); // fresh device memory is garbage: NaN shows any read of it
  }
  dispose(): void {
    this.disposed = true;
    this.data = null;
  }
}

/** Traffic counters, so tests can check that values stay on the device. */
export interface Traffic {
  uploads: number;
  /** Elements uploaded in all. */
  uploaded: number;
  downloads: number;
  allocs: number;
}

/**
 * The DeviceApi in host memory, each kernel being the reference one on the views: the cuda backend's
 * residency logic (what is uploaded, downloaded, marked stale) runs in CI without a GPU, and any
 * JavaScript read of a stale host array shows up as a wrong result.
 */
export function emulatedDevice(): DeviceApi & { traffic: Traffic } {
  const traffic: Traffic = { uploads: 0, uploaded: 0, downloads: 0, allocs: 0 };
  const a = (v: View): Float32Array => {
    const b = v.buf as EmulatedBuffer;
    if (!b.data) throw new Error('emulated device: use of a disposed buffer');
    if (v.offset < 0 || v.offset + v.length > b.length)
      throw new Error(`emulated device: view [${v.offset}, ${v.offset + v.length}) outside ${b.length}`);
    return b.data.subarray(v.offset, v.offset + v.length);
  };
  /** Visit every (input offset or −1 for padding, cols offset) pair of samples [b0, b1), in im2col's order. */
  const patches = (d: Conv2dDims, b0: number, b1: number, visit: (xi: number, ci: number) => void) => {
    let o = 0;
    for (let b = b0; b < b1; b++)
      for (let oy = 0; oy < d.oh; oy++)
        for (let ox = 0; ox < d.ow; ox++)
          for (let ky = 0; ky < d.kh; ky++)
            for (let kx = 0; kx < d.kw; kx++) {
              const iy = oy * d.strideH - d.padTop + ky * d.dilationH;
              const ix = ox * d.strideW - d.padLeft + kx * d.dilationW;
              const inside = iy >= 0 && iy < d.h && ix >= 0 && ix < d.w;
              for (let c = 0; c < d.c; c++, o++) visit(inside ? ((b * d.h + iy) * d.w + ix) * d.c + c : -1, o);
            }
  };
  const im2col = (x: Float32Array, cols: Float32Array, d: Conv2dDims, b0: number, b1: number) =>
    patches(d, b0, b1, (xi, ci) => void (cols[ci] = xi < 0 ? 0 : x[xi]));
  const col2im = (cols: Float32Array, dx: Float32Array, d: Conv2dDims, b0: number, b1: number) =>
    patches(d, b0, b1, (xi, ci) => void (xi >= 0 && (dx[xi] += cols[ci])));
  return {
    traffic,
    alloc(length) {
      traffic.allocs++;
      return new EmulatedBuffer(length);
    },
    upload(dst, src) {
      traffic.uploads++;
      traffic.uploaded += src.length;
      a(dst).set(src);
    },
    download(src, dst) {
      traffic.downloads++;
      dst.set(a(src));
    },
    copy: (dst, src) => a(dst).set(a(src)),
    fill: (dst, value) => void a(dst).fill(value),
    synchronize: () => undefined,
    gemm: (x, y, c, p) => ref.gemm(a(x), a(y), a(c), p),
    unary: (op, x, out) => ref.unary(op, a(x), a(out)),
    binary: (op, x, y, out, p) => ref.binary(op, a(x), a(y), a(out), p),
    where: (c, x, y, out, p) => ref.where(a(c), a(x), a(y), a(out), p),
    broadcast: (x, out, p) => ref.broadcast(a(x), a(out), p),
    reduce: (op, x, out, d) => ref.reduce(op, a(x), a(out), d),
    argmax: (x, out, d) => ref.argmax(a(x), a(out), d),
    softmax: (x, out, rows, cols, log) => ref.softmax(a(x), a(out), rows, cols, log),
    biasActivation(pre, bias, rows, cols, act) {
      const p = a(pre);
      const b = a(bias);
      if (b.length) for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) p[i * cols + j] += b[j];
      if (act === 'softmax') ref.softmax(p.slice(), p, rows, cols, false);
      else if (act !== 'linear') ref.unary(act, p, p);
    },
    activationBackward(y, dy, dpre, rows, cols, act) {
      // The reference denseBackward with an identity GEMM would do; the rule is short enough to state here.
      const yv = a(y);
      const g = a(dy);
      const out = a(dpre);
      for (let i = 0; i < out.length; i++) {
        if (act === 'relu') out[i] = yv[i] > 0 ? g[i] : 0;
        else if (act === 'sigmoid') out[i] = g[i] * (yv[i] * (1 - yv[i]));
        else if (act === 'tanh') out[i] = g[i] * (1 - yv[i] * yv[i]);
        else out[i] = g[i];
      }
      if (act === 'softmax')
        for (let r = 0; r < rows; r++) {
          let dot = 0;
          for (let j = 0; j < cols; j++) dot += g[r * cols + j] * yv[r * cols + j];
          for (let j = 0; j < cols; j++) out[r * cols + j] = yv[r * cols + j] * (g[r * cols + j] - dot);
        }
    },
    im2col: (x, cols, d, b0, b1) => im2col(a(x), a(cols), d, b0, b1),
    col2im: (cols, dx, d, b0, b1) => col2im(a(cols), a(dx), d, b0, b1),
    pool2d: (kind, x, out, d) => ref.pool2d(kind, a(x), a(out), d),
    pool2dBackward: (kind, x, dy, dx, d) => ref.pool2dBackward(kind, a(x), a(dy), a(dx), d),
    adamUpdate: (p, g, m, v, h) => ref.adamUpdate(a(p), a(g), a(m), a(v), h),
    sgdUpdate: (p, g, vel, h) => ref.sgdUpdate(a(p), a(g), a(vel), h),
    rmspropUpdate: (p, g, ms, mom, mg, h) => ref.rmspropUpdate(a(p), a(g), a(ms), a(mom), a(mg), h),
    adagradUpdate: (p, g, acc, h) => ref.adagradUpdate(a(p), a(g), a(acc), h),
    crossentropy: (kind, y, p, out, rows, cols, eps) => ref.crossentropy(kind, a(y), a(p), a(out), rows, cols, eps),
    crossentropyBackward: (kind, y, p, dy, dp, rows, cols, eps) =>
      ref.crossentropyBackward(kind, a(y), a(p), a(dy), a(dp), rows, cols, eps),
  };
}
