import type { Backend, MlpForwardLayer } from '../backend.js';
import { binaryCode, crossentropyCode, denseCode, reduceCode, rnnCode, unaryCode } from '../kinds.js';
import { referenceBackend as ref } from '../reference/index.js';
import { convGeom, f64, poolGeom } from '../wire.js';
import type { NativeAddon } from './addon-types.js';
import { nativePlans } from './plans.js';

/**
 * Below these element counts the reference kernel is faster than a call across N-API, so the adapter
 * runs it instead. Measured with bench/kernels.ts (Node 20, x86-64 AVX2, g++ 12): a call costs about
 * 150 ns (unary), 250 ns (reduce), 300 ns (softmax) and 600 ns (binary: seven arguments, three of them
 * plan arrays); native is faster from n = 8–32 for unary ops (exp 8, relu 16–32), 32–64 for add,
 * 128 for sum and 16 for softmax, and 20–150× faster at 1M elements. where/broadcast use the binary
 * threshold, argmax the reduce one; the other kernels always run natively.
 */
export const NATIVE_MIN = { unary: 32, binary: 64, reduce: 128, softmax: 16 } as const;
/** Every call to the addon (bench/kernels.ts measures with it; plans run their exact kernels with it). */
export const ALL_NATIVE = { unary: 0, binary: 0, reduce: 0, softmax: 0 } as const;

/** mlpForwardF32's arrays and dims ([header entries..., (k, n, act) per layer]) for a layer list. */
interface LayerPlan {
  arrays: Float32Array[];
  dims: Float64Array;
}
/** The plan of `layers`, built once per list and kind (fit and predict pass the same list every call). */
function layerPlan<L extends MlpForwardLayer>(
  plans: WeakMap<readonly L[], LayerPlan>,
  layers: readonly L[],
  header: number,
  arraysOf: (l: L) => Float32Array[],
): LayerPlan {
  let plan = plans.get(layers);
  if (!plan) {
    plan = {
      arrays: layers.flatMap(arraysOf),
      dims: Float64Array.from([
        ...new Array<number>(header).fill(0),
        ...layers.flatMap((l) => [l.k, l.n, denseCode[l.act]]),
      ]),
    };
    plans.set(layers, plan);
  }
  return plan;
}
/** mlpForwardF32: header [rows]; w, b a layer. */
const forwardPlans = new WeakMap<readonly MlpForwardLayer[], LayerPlan>();
const forwardArguments = (layers: readonly MlpForwardLayer[]) => layerPlan(forwardPlans, layers, 1, (l) => [l.w, l.b]);
/**
 * A thin adapter: one line per kernel, from the Backend interface to the addon's functions.
 * slice/unslice are TypedArray.set, already a native memcpy, and crossentropy on probabilities is O(rows·cols)
 * with one log per element (cheaper in JS than a crossing for the sizes losses see): they stay shared with the reference.
 * `min` overrides the crossover sizes (bench/kernels.ts measures with all zeros: always native). `exact`: the
 * kernels a plan runs where the adapter would run the reference, with the reference's bits (plans.ts
 * sameBitsNatively): sums in the reference's order, the crossentropies natively.
 */
export function nativeBackend(
  addon: NativeAddon,
  min: { readonly [K in keyof typeof NATIVE_MIN]: number } = NATIVE_MIN,
  exact = false,
): Backend {
  const { unary: U, binary: B, reduce: R, softmax: S } = min;
  let exactBackend: Backend | undefined;
  const backend: Backend = {
    ...ref,
    ...(exact
      ? {
          crossentropy: (kind, y, p, out, rows, cols, eps) =>
            addon.crossentropyF32(crossentropyCode[kind], y, p, out, rows, cols, eps),
          crossentropyBackward: (kind, y, p, dy, dp, rows, cols, eps) =>
            addon.crossentropyBackwardF32(crossentropyCode[kind], y, p, dy, dp, rows, cols, eps),
        }
      : {}),
    name: 'native',
    plans: exact
      ? undefined
      : nativePlans(
          addon,
          () => backend,
          min,
          () => (exactBackend ??= nativeBackend(addon, ALL_NATIVE, true)),
        ),
    gemm: (a, b, c, p) => addon.gemmF32(a, b, c, p.m, p.n, p.k, p.transA, p.transB, p.alpha, p.beta),
    gemmBatched: (a, b, c, p, s) =>
      addon.gemmBatchedF32(a, b, c, p.m, p.n, p.k, p.transA, p.transB, p.alpha, p.beta, s.batch, s.strideA, s.strideB),
    maskedSoftmax: (x, mask, out, rows, cols, heads, inner) =>
      x.length < S && !mask.length
        ? ref.softmax(x, out, rows, cols, false)
        : addon.maskedSoftmaxF32(x, mask, out, rows, cols, heads, inner),
    softmaxBackward: (y, dy, dx, rows, cols) =>
      y.length < S ? ref.softmaxBackward(y, dy, dx, rows, cols) : addon.softmaxBackwardF32(y, dy, dx, rows, cols),
    layerNorm: (x, gamma, beta, out, mean, rstd, rows, cols, eps) =>
      addon.layerNormF32(x, gamma, beta, out, mean, rstd, rows, cols, eps),
    layerNormBackward: (x, gamma, mean, rstd, dy, g, rows, cols) =>
      addon.layerNormBackwardF32(x, gamma, mean, rstd, dy, g.dx, g.dgamma, g.dbeta, rows, cols),
    batchNorm: (x, gamma, beta, out, mean, variance, rstd, rows, cols, eps) =>
      addon.batchNormF32(x, gamma, beta, out, mean, variance, rstd, rows, cols, eps),
    batchNormBackward: (x, gamma, mean, rstd, dy, g, rows, cols) =>
      addon.batchNormBackwardF32(x, gamma, mean, rstd, dy, g.dx, g.dgamma, g.dbeta, rows, cols),
    movingAverage: (avg, x, momentum) => addon.movingAverageF32(avg, x, momentum),
    bernoulli: (state, out, p, value) => addon.bernoulliF32(state, out, p, value),
    unary: (op, x, out) => (out.length < U ? ref.unary(op, x, out) : addon.unaryF32(unaryCode[op], x, out)),
    binary: (op, a, b, out, p) =>
      out.length < B
        ? ref.binary(op, a, b, out, p)
        : addon.binaryF32(binaryCode[op], a, b, out, f64(0, p.shape), f64(1, p.strides[0]), f64(2, p.strides[1])),
    where: (c, a, b, out, p) =>
      out.length < B
        ? ref.where(c, a, b, out, p)
        : addon.whereF32(
            c,
            a,
            b,
            out,
            f64(0, p.shape),
            f64(1, p.strides[0]),
            f64(2, p.strides[1]),
            f64(3, p.strides[2]),
          ),
    broadcast: (x, out, p) =>
      out.length < B ? ref.broadcast(x, out, p) : addon.broadcastF32(x, out, f64(0, p.shape), f64(1, p.strides[0])),
    reduce: (op, x, out, d) =>
      x.length < R ? ref.reduce(op, x, out, d) : addon.reduceF32(reduceCode[op], x, out, d.outer, d.n, d.inner, exact),
    argmax: (x, out, d) => (x.length < R ? ref.argmax(x, out, d) : addon.argmaxF32(x, out, d.outer, d.n, d.inner)),
    softmax: (x, out, rows, cols, log) =>
      x.length < S ? ref.softmax(x, out, rows, cols, log) : addon.softmaxF32(x, out, rows, cols, log),
    transpose: (x, out, shape, perm) => addon.transposeF32(x, out, f64(0, shape), f64(1, perm)),
    gather: (x, indices, out, rowSize) => addon.gatherF32(x, indices, out, rowSize),
    scatterAdd: (x, indices, out, rowSize) => addon.scatterAddF32(x, indices, out, rowSize),
    dense: (x, w, b, out, d, act) => addon.denseF32(x, w, b, out, d.m, d.k, d.n, denseCode[act]),
    denseBackward: (x, w, y, dy, g, d, act) =>
      addon.denseBackwardF32(x, w, y, dy, g.dx, g.dw, g.db, d.m, d.k, d.n, denseCode[act]),
    conv2d: (x, w, b, out, d, act) => addon.conv2dF32(x, w, b, out, convGeom(d), denseCode[act]),
    conv2dBackward: (x, w, y, dy, g, d, act) =>
      addon.conv2dBackwardF32(x, w, y, dy, g.dx, g.dw, g.db, convGeom(d), denseCode[act]),
    pool2d: (kind, x, out, d) =>
      kind === 'max' ? addon.maxPool2dF32(x, out, poolGeom(d)) : addon.avgPool2dF32(x, out, poolGeom(d)),
    pool2dBackward: (kind, x, dy, dx, d) =>
      kind === 'max'
        ? addon.maxPool2dBackwardF32(x, dy, dx, poolGeom(d))
        : addon.avgPool2dBackwardF32(dy, dx, poolGeom(d)),
    mlpForward(x, layers, rows, out) {
      const { arrays, dims } = forwardArguments(layers);
      dims[0] = rows;
      addon.mlpForwardF32(x, out, dims, ...arrays);
    },
    adamUpdate: (w, g, m, v, h) =>
      addon.adamUpdateF32(w, g, m, v, h.lr, h.beta1, h.beta2, h.epsilon, h.t, h.weightDecay),
    sgdUpdate: (w, g, vel, h) => addon.sgdUpdateF32(w, g, vel, h.lr, h.momentum, h.nesterov),
    rmspropUpdate: (w, g, ms, mom, mg, h) =>
      addon.rmspropUpdateF32(w, g, ms, mom, mg, h.lr, h.rho, h.momentum, h.epsilon, h.centered),
    adagradUpdate: (w, g, acc, h) => addon.adagradUpdateF32(w, g, acc, h.lr, h.epsilon),
    applyUpdate: (rule, w, g, s0, s1, s2) => addon.applyUpdateF32(rule, w, g, s0, s1, s2),
    lstmCell: (g, cp, hp, m, c, h, d, a) =>
      addon.lstmCellF32(g, cp, hp, m, c, h, d.batch, d.units, rnnCode[a.act], rnnCode[a.recAct]),
    lstmCellBackward: (g, cp, c, m, dho, dh, dc, dg, d, a) =>
      addon.lstmCellBackwardF32(g, cp, c, m, dho, dh, dc, dg, d.batch, d.units, rnnCode[a.act], rnnCode[a.recAct]),
    gruCell: (g, rec, rb, hp, m, h, d, a) =>
      addon.gruCellF32(g, rec, rb, hp, m, h, d.batch, d.units, rnnCode[a.act], rnnCode[a.recAct]),
    gruCellBackward: (g, rec, hp, m, dho, dh, dg, dr, d, a) =>
      addon.gruCellBackwardF32(g, rec, hp, m, dho, dh, dg, dr, d.batch, d.units, rnnCode[a.act], rnnCode[a.recAct]),
    rnnCell: (g, hp, m, h, d, act) => addon.rnnCellF32(g, hp, m, h, d.batch, d.units, rnnCode[act]),
    rnnCellBackward: (g, m, dho, dh, dg, d, act) =>
      addon.rnnCellBackwardF32(g, m, dho, dh, dg, d.batch, d.units, rnnCode[act]),
    gruResetGates: (g, zr, hi, rh, d, ra) => addon.gruResetGatesF32(g, zr, hi, rh, d.batch, d.units, rnnCode[ra]),
    gruResetCell: (g, rh, hp, m, h, d, act) => addon.gruResetCellF32(g, rh, hp, m, h, d.batch, d.units, rnnCode[act]),
    gruResetCellBackward: (g, hp, m, dho, dhi, rm, dh, dg, dzr, dc, d, a) =>
      addon.gruResetCellBackwardF32(
        g,
        hp,
        m,
        dho,
        dhi,
        rm,
        dh,
        dg,
        dzr,
        dc,
        d.batch,
        d.units,
        rnnCode[a.act],
        rnnCode[a.recAct],
      ),
    gruResetGatesBackward: (g, hi, m, drh, dg, dzr, dhi, d, ra) =>
      addon.gruResetGatesBackwardF32(g, hi, m, drh, dg, dzr, dhi, d.batch, d.units, rnnCode[ra]),
  };
  return backend;
}
