import { stridesOf } from '../strides.js';
import { decodeRule, updateBy } from '../update-rule.js';
import type { Backend, Conv2dDims } from '../backend.js';
import type { DenseActivation } from '../kinds.js';
import type { DeviceApi, View } from './device.js';
import type { Residency } from './residency.js';

/** Elements of im2col scratch per chunk of samples (512 MiB): conv layers beyond it run in batches of samples. */
const COLS_BUDGET = 1 << 27;

/**
 * The cuda backend: every Backend kernel on device copies of its arrays (Residency keeps them there
 * between ops). Dense and conv layers are composed from GEMM (cuBLAS), im2col/col2im and fused
 * bias/activation kernels. Kernels without a device version yet (gather/scatter, unslice, the recurrent
 * cells, the dense-stack forward) run on `cpu` after bringing their arrays home:
 * correct, but each such call crosses the bus.
 */
export function cudaBackend(dev: DeviceApi, res: Residency, cpu: Backend): Backend {
  const r = (a: Float32Array) => res.read(a);
  const w = (a: Float32Array) => res.write(a);
  const done = (...outs: Float32Array[]) => {
    for (const o of outs) if (o.length) res.written(o);
  };
  /** Run a CPU kernel: inputs and outputs brought home first (outputs may be read or partly written). */
  const onHost = (inputs: readonly Float32Array[], outputs: readonly Float32Array[], run: () => void) => {
    for (const a of inputs) res.syncHost(a);
    for (const o of outputs) res.syncHost(o);
    run();
    for (const o of outputs) res.hostWritten(o);
  };
  /** Device scratch for the duration of fn. */
  const scratch = <T>(length: number, fn: (v: View) => T): T => {
    const buf = dev.alloc(length);
    try {
      return fn({ buf, offset: 0, length });
    } finally {
      buf.dispose();
    }
  };
  const sub = (v: View, offset: number, length: number): View => ({ buf: v.buf, offset: v.offset + offset, length });
  /** dpre = dy ⊙ act'(y) into scratch, or dy itself for a linear activation. */
  const preGrad = <T>(
    y: Float32Array,
    dy: Float32Array,
    rows: number,
    cols: number,
    act: DenseActivation,
    fn: (dpre: View) => T,
  ): T =>
    act === 'linear'
      ? fn(r(dy))
      : scratch(rows * cols, (dpre) => {
          dev.activationBackward(r(y), r(dy), dpre, rows, cols, act);
          return fn(dpre);
        });
  const samplesPerChunk = (d: Conv2dDims) =>
    Math.max(1, Math.floor(COLS_BUDGET / Math.max(1, d.oh * d.ow * d.kh * d.kw * d.c)));
  const identityCols = (d: Conv2dDims) =>
    d.kh === 1 &&
    d.kw === 1 &&
    d.strideH === 1 &&
    d.strideW === 1 &&
    d.padTop === 0 &&
    d.padLeft === 0 &&
    d.oh === d.h &&
    d.ow === d.w;

  const backend: Backend = {
    name: 'cuda',
    gemm(a, b, c, p) {
      dev.gemm(r(a), r(b), p.beta === 0 ? w(c) : r(c), p);
      done(c);
    },
    gemmBatched(a, b, c, p, s) {
      const va = r(a),
        vb = r(b),
        vc = p.beta === 0 ? w(c) : r(c);
      const sa = p.m * p.k,
        sb = p.k * p.n,
        sc = p.m * p.n;
      for (let i = 0; i < s.batch; i++)
        dev.gemm(sub(va, i * s.strideA, sa), sub(vb, i * s.strideB, sb), sub(vc, i * sc, sc), p);
      done(c);
    },
    // Attention's softmax and layer normalization run on the host (no device kernels yet): each call crosses the bus.
    maskedSoftmax: (x, mask, out, rows, cols, heads, inner) =>
      onHost([x, mask], [out], () => cpu.maskedSoftmax(x, mask, out, rows, cols, heads, inner)),
    softmaxBackward: (y, dy, dx, rows, cols) => onHost([y, dy], [dx], () => cpu.softmaxBackward(y, dy, dx, rows, cols)),
    layerNorm: (x, gamma, beta, out, mean, rstd, rows, cols, eps) =>
      onHost([x, gamma, beta], [out, mean, rstd], () =>
        cpu.layerNorm(x, gamma, beta, out, mean, rstd, rows, cols, eps),
      ),
    layerNormBackward: (x, gamma, mean, rstd, dy, g, rows, cols) =>
      onHost([x, gamma, mean, rstd, dy], [g.dx, g.dgamma, g.dbeta], () =>
        cpu.layerNormBackward(x, gamma, mean, rstd, dy, g, rows, cols),
      ),
    // Batch normalization too: [cols] statistics, one pass each way on the host.
    batchNorm: (x, gamma, beta, out, mean, variance, rstd, rows, cols, eps) =>
      onHost([x, gamma, beta], [out, mean, variance, rstd], () =>
        cpu.batchNorm(x, gamma, beta, out, mean, variance, rstd, rows, cols, eps),
      ),
    batchNormBackward: (x, gamma, mean, rstd, dy, g, rows, cols) =>
      onHost([x, gamma, mean, rstd, dy], [g.dx, g.dgamma, g.dbeta], () =>
        cpu.batchNormBackward(x, gamma, mean, rstd, dy, g, rows, cols),
      ),
    movingAverage: (avg, x, momentum) => onHost([x], [avg], () => cpu.movingAverage(avg, x, momentum)),
    // the generator's state lives on the host
    bernoulli: (state, out, p, value) => onHost([], [out], () => cpu.bernoulli(state, out, p, value)),
    unary(op, x, out) {
      dev.unary(op, r(x), w(out));
      done(out);
    },
    binary(op, a, b, out, plan) {
      dev.binary(op, r(a), r(b), w(out), plan);
      done(out);
    },
    where(cond, a, b, out, plan) {
      dev.where(r(cond), r(a), r(b), w(out), plan);
      done(out);
    },
    broadcast(x, out, plan) {
      dev.broadcast(r(x), w(out), plan);
      done(out);
    },
    reduce(op, x, out, d) {
      dev.reduce(op, r(x), w(out), d);
      done(out);
    },
    argmax(x, out, d) {
      dev.argmax(r(x), w(out), d);
      done(out);
    },
    softmax(x, out, rows, cols, log) {
      dev.softmax(r(x), w(out), rows, cols, log);
      done(out);
    },
    copy(x, out) {
      if (out.length) dev.copy(w(out), r(x));
      done(out);
    },
    // transpose and slice read x through strides: the broadcast kernel with the strides permuted or offset.
    transpose(x, out, shape, perm) {
      const st = stridesOf(shape);
      if (out.length)
        dev.broadcast(r(x), w(out), { shape: perm.map((p) => shape[p]), strides: [perm.map((p) => st[p])] });
      done(out);
    },
    slice(x, xShape, begin, out, outShape) {
      if (out.length === 0) return;
      const st = stridesOf(xShape);
      const start = begin.reduce((s, b, i) => s + b * st[i], 0);
      dev.broadcast(sub(r(x), start, x.length - start), w(out), { shape: [...outShape], strides: [st] });
      done(out);
    },
    unslice: (x, xShape, begin, out, outShape) =>
      onHost([x], [out], () => cpu.unslice(x, xShape, begin, out, outShape)),
    gather: (x, indices, out, rowSize) => onHost([x], [out], () => cpu.gather(x, indices, out, rowSize)),
    scatterAdd: (x, indices, out, rowSize) => onHost([x], [out], () => cpu.scatterAdd(x, indices, out, rowSize)),

    dense(x, wt, b, out, d, act) {
      const y = w(out);
      dev.gemm(r(x), r(wt), y, { m: d.m, n: d.n, k: d.k, transA: false, transB: false, alpha: 1, beta: 0 });
      if (b.length || act !== 'linear') dev.biasActivation(y, r(b), d.m, d.n, act);
      done(out);
    },
    denseBackward(x, wt, y, dy, g, d, act) {
      const { m, k, n } = d;
      preGrad(y, dy, m, n, act, (dpre) => {
        if (g.dw.length)
          dev.gemm(r(x), dpre, w(g.dw), { m: k, n, k: m, transA: true, transB: false, alpha: 1, beta: 0 });
        if (g.db.length) dev.reduce('sum', dpre, w(g.db), { outer: 1, n: m, inner: n });
        if (g.dx.length)
          dev.gemm(dpre, r(wt), w(g.dx), { m, n: k, k: n, transA: false, transB: true, alpha: 1, beta: 0 });
      });
      done(g.dw, g.db, g.dx);
    },
    conv2d(x, wt, b, out, d, act) {
      const pixels = d.oh * d.ow;
      const K = d.kh * d.kw * d.c;
      if (identityCols(d)) return backend.dense(x, wt, b, out, { m: d.n * pixels, k: K, n: d.cout }, act);
      const xv = r(x);
      const wv = r(wt);
      const y = w(out);
      const chunk = samplesPerChunk(d);
      scratch(Math.min(chunk, d.n) * pixels * K, (cols) => {
        for (let b0 = 0; b0 < d.n; b0 += chunk) {
          const b1 = Math.min(d.n, b0 + chunk);
          const rows = (b1 - b0) * pixels;
          const c = sub(cols, 0, rows * K);
          dev.im2col(xv, c, d, b0, b1);
          dev.gemm(c, wv, sub(y, b0 * pixels * d.cout, rows * d.cout), {
            m: rows,
            n: d.cout,
            k: K,
            transA: false,
            transB: false,
            alpha: 1,
            beta: 0,
          });
        }
      });
      if (b.length || act !== 'linear') dev.biasActivation(y, r(b), d.n * pixels, d.cout, act);
      done(out);
    },
    conv2dBackward(x, wt, y, dy, g, d, act) {
      const pixels = d.oh * d.ow;
      const K = d.kh * d.kw * d.c;
      const rowsAll = d.n * pixels;
      if (identityCols(d)) return backend.denseBackward(x, wt, y, dy, g, { m: rowsAll, k: K, n: d.cout }, act);
      preGrad(y, dy, rowsAll, d.cout, act, (dpre) => {
        if (g.db.length) dev.reduce('sum', dpre, w(g.db), { outer: 1, n: rowsAll, inner: d.cout });
        const dwv = g.dw.length ? w(g.dw) : null;
        const dxv = g.dx.length ? w(g.dx) : null;
        if (dxv) dev.fill(dxv, 0);
        if (dwv && d.n === 0) dev.fill(dwv, 0);
        if (!dwv && !dxv) return;
        const xv = r(x);
        const wv = r(wt);
        const chunk = samplesPerChunk(d);
        const most = Math.min(chunk, d.n) * pixels * K;
        scratch(most, (cols) =>
          scratch(dxv ? most : 0, (dcols) => {
            for (let b0 = 0; b0 < d.n; b0 += chunk) {
              const b1 = Math.min(d.n, b0 + chunk);
              const rows = (b1 - b0) * pixels;
              const dp = sub(dpre, b0 * pixels * d.cout, rows * d.cout);
              const c = sub(cols, 0, rows * K);
              dev.im2col(xv, c, d, b0, b1);
              if (dwv)
                dev.gemm(c, dp, dwv, {
                  m: K,
                  n: d.cout,
                  k: rows,
                  transA: true,
                  transB: false,
                  alpha: 1,
                  beta: b0 === 0 ? 0 : 1,
                });
              if (dxv) {
                const dc = sub(dcols, 0, rows * K);
                dev.gemm(dp, wv, dc, { m: rows, n: K, k: d.cout, transA: false, transB: true, alpha: 1, beta: 0 });
                dev.col2im(dc, dxv, d, b0, b1);
              }
            }
          }),
        );
      });
      done(g.dw, g.db, g.dx);
    },
    pool2d(kind, x, out, d) {
      dev.pool2d(kind, r(x), w(out), d);
      done(out);
    },
    pool2dBackward(kind, x, dy, dx, d) {
      dev.pool2dBackward(kind, r(x), r(dy), w(dx), d);
      done(dx);
    },

    lstmCell: (g, cp, hp, m, c, h, d, a) =>
      onHost([cp, hp, m], [g, c, h], () => cpu.lstmCell(g, cp, hp, m, c, h, d, a)),
    lstmCellBackward: (g, cp, c, m, dho, dh, dc, dg, d, a) =>
      onHost([g, cp, c, m, dho], [dh, dc, dg], () => cpu.lstmCellBackward(g, cp, c, m, dho, dh, dc, dg, d, a)),
    gruCell: (g, rec, rb, hp, m, h, d, a) =>
      onHost([rb, hp, m], [g, rec, h], () => cpu.gruCell(g, rec, rb, hp, m, h, d, a)),
    gruCellBackward: (g, rec, hp, m, dho, dh, dg, dr, d, a) =>
      onHost([g, rec, hp, m, dho], [dh, dg, dr], () => cpu.gruCellBackward(g, rec, hp, m, dho, dh, dg, dr, d, a)),
    rnnCell: (g, hp, m, h, d, act) => onHost([hp, m], [g, h], () => cpu.rnnCell(g, hp, m, h, d, act)),
    rnnCellBackward: (g, m, dho, dh, dg, d, act) =>
      onHost([g, m, dho], [dh, dg], () => cpu.rnnCellBackward(g, m, dho, dh, dg, d, act)),
    gruResetGates: (g, zr, hi, rh, d, ra) => onHost([zr, hi], [g, rh], () => cpu.gruResetGates(g, zr, hi, rh, d, ra)),
    gruResetCell: (g, rh, hp, m, h, d, act) =>
      onHost([rh, hp, m], [g, h], () => cpu.gruResetCell(g, rh, hp, m, h, d, act)),
    gruResetCellBackward: (g, hp, m, dho, dhi, rm, dh, dg, dzr, dc, d, a) =>
      onHost([g, hp, m, dho, dhi, rm], [dh, dg, dzr, dc], () =>
        cpu.gruResetCellBackward(g, hp, m, dho, dhi, rm, dh, dg, dzr, dc, d, a),
      ),
    gruResetGatesBackward: (g, hi, m, drh, dg, dzr, dhi, d, ra) =>
      onHost([g, hi, m, drh], [dg, dzr, dhi], () => cpu.gruResetGatesBackward(g, hi, m, drh, dg, dzr, dhi, d, ra)),
    mlpForward: (x, layers, rows, out) =>
      onHost([x, ...layers.flatMap((l) => [l.w, l.b])], [out], () => cpu.mlpForward(x, layers, rows, out)),
    crossentropy(kind, y, p, out, rows, cols, eps) {
      dev.crossentropy(kind, r(y), r(p), w(out), rows, cols, eps);
      done(out);
    },
    crossentropyBackward(kind, y, p, dy, dp, rows, cols, eps) {
      dev.crossentropyBackward(kind, r(y), r(p), r(dy), w(dp), rows, cols, eps);
      done(dp);
    },

    adamUpdate(param, grad, m, v, h) {
      dev.adamUpdate(r(param), r(grad), r(m), r(v), h);
      done(param, m, v);
    },
    sgdUpdate(param, grad, velocity, h) {
      dev.sgdUpdate(r(param), r(grad), r(velocity), h);
      done(param, velocity);
    },
    rmspropUpdate(param, grad, ms, mom, mg, h) {
      dev.rmspropUpdate(r(param), r(grad), r(ms), r(mom), r(mg), h);
      done(param, ms, mom, mg);
    },
    adagradUpdate(param, grad, acc, h) {
      dev.adagradUpdate(r(param), r(grad), r(acc), h);
      done(param, acc);
    },
    applyUpdate(rule, param, grad, s0, s1, s2) {
      updateBy(backend, decodeRule(rule), param, grad, [s0, s1, s2]);
    },
  };
  return backend;
}
