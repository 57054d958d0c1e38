import { TensileError } from '../../errors.js';
import { binaryCode, denseCode, reduceCode, unaryCode } from '../kinds.js';
import type { CudaAddon } from './addon-types.js';
import { convGeom, f64, poolGeom } from '../wire.js';
import type { DeviceApi, View } from './device.js';

/** The addon's CUDA functions as a DeviceApi: a view crosses as (buffer, offset, length). */
export function addonDevice(a: CudaAddon, options: { tf32: () => boolean }): DeviceApi {
  const v = (x: View) => [x.buf, x.offset, x.length] as const;
  const api: DeviceApi = {
    alloc: (length) => new a.CudaBuffer(length),
    upload: (dst, src) => a.cudaUpload(...v(dst), src),
    download: (src, dst) => a.cudaDownload(...v(src), dst),
    copy: (dst, src) => a.cudaCopy(...v(dst), ...v(src)),
    fill: (dst, value) => a.cudaFill(...v(dst), value),
    synchronize: () => a.cudaSynchronize(),
    gemm: (x, y, c, p) =>
      a.cudaGemm(...v(x), ...v(y), ...v(c), p.m, p.n, p.k, p.transA, p.transB, p.alpha, p.beta, options.tf32()),
    unary: (op, x, out) => a.cudaUnary(unaryCode[op], ...v(x), ...v(out)),
    binary: (op, x, y, out, p) =>
      a.cudaBinary(
        binaryCode[op],
        ...v(x),
        ...v(y),
        ...v(out),
        f64(0, p.shape),
        f64(1, p.strides[0]),
        f64(2, p.strides[1]),
      ),
    where: (c, x, y, out, p) =>
      a.cudaWhere(
        ...v(c),
        ...v(x),
        ...v(y),
        ...v(out),
        f64(0, p.shape),
        f64(1, p.strides[0]),
        f64(2, p.strides[1]),
        f64(3, p.strides[2]),
      ),
    broadcast: (x, out, p) => a.cudaBroadcast(...v(x), ...v(out), f64(0, p.shape), f64(1, p.strides[0])),
    reduce: (op, x, out, d) => a.cudaReduce(reduceCode[op], ...v(x), ...v(out), d.outer, d.n, d.inner),
    argmax: (x, out, d) => a.cudaArgmax(...v(x), ...v(out), d.outer, d.n, d.inner),
    softmax: (x, out, rows, cols, log) => a.cudaSoftmax(...v(x), ...v(out), rows, cols, log),
    biasActivation: (pre, bias, rows, cols, act) =>
      a.cudaBiasActivation(...v(pre), ...v(bias), rows, cols, denseCode[act]),
    activationBackward: (y, dy, dpre, rows, cols, act) =>
      a.cudaActivationBackward(...v(y), ...v(dy), ...v(dpre), rows, cols, denseCode[act]),
    im2col: (x, cols, d, b0, b1) => a.cudaIm2col(...v(x), ...v(cols), convGeom(d), b0, b1),
    col2im: (cols, dx, d, b0, b1) => a.cudaCol2im(...v(cols), ...v(dx), convGeom(d), b0, b1),
    pool2d: (kind, x, out, d) => a.cudaPool2d(kind === 'max', ...v(x), ...v(out), poolGeom(d)),
    pool2dBackward: (kind, x, dy, dx, d) =>
      a.cudaPool2dBackward(kind === 'max', ...v(x), ...v(dy), ...v(dx), poolGeom(d)),
    adamUpdate: (p, g, m, s, h) =>
      a.cudaAdamUpdate(...v(p), ...v(g), ...v(m), ...v(s), h.lr, h.beta1, h.beta2, h.epsilon, h.t, h.weightDecay),
    sgdUpdate: (p, g, vel, h) => a.cudaSgdUpdate(...v(p), ...v(g), ...v(vel), h.lr, h.momentum, h.nesterov),
    rmspropUpdate: (p, g, ms, mom, mg, h) =>
      a.cudaRmspropUpdate(
        ...v(p),
        ...v(g),
        ...v(ms),
        ...v(mom),
        ...v(mg),
        h.lr,
        h.rho,
        h.momentum,
        h.epsilon,
        h.centered,
      ),
    adagradUpdate: (p, g, acc, h) => a.cudaAdagradUpdate(...v(p), ...v(g), ...v(acc), h.lr, h.epsilon),
    crossentropy: (kind, y, p, out, rows, cols, eps) =>
      a.cudaCrossentropy(kind === 'binary', ...v(y), ...v(p), ...v(out), rows, cols, eps),
    crossentropyBackward: (kind, y, p, dy, dp, rows, cols, eps) =>
      a.cudaCrossentropyBackward(kind === 'binary', ...v(y), ...v(p), ...v(dy), ...v(dp), rows, cols, eps),
  };
  return withTensileErrors(api);
}

/** Every call of the device: a failure (a CUDA or cuBLAS error, memory exhausted) becomes a TensileError naming the kernel. */
function withTensileErrors(api: DeviceApi): DeviceApi {
  const out = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api) as [string, (...args: unknown[]) => unknown][])
    out[name] = (...args: unknown[]) => {
      try {
        return fn(...args);
      } catch (e) {
        throw new TensileError(`cuda ${name}`, e instanceof Error ? e.message : String(e));
      }
    };
  return out as unknown as DeviceApi;
}
