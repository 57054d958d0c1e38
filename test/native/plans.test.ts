// Native plans (native/src/binding/deferred.cc, lib/backend/native/plans.ts): kernel calls validated once and run
// as one call give the bits of the same calls made one by one, read their arrays live, and refuse what they cannot
// keep. (Whole training steps on plans: test/models/step-plans.test.ts.)
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Backend, KernelCall } from '../../lib/backend/backend.js';
import type { NativeAddon } from '../../lib/backend/native/addon-types.js';
import { ALL_NATIVE, NATIVE_MIN, nativeBackend } from '../../lib/backend/native/index.js';
import { runsNatively, sameBitsNatively } from '../../lib/backend/native/plans.js';
import { BINARY_OPS } from '../../lib/backend/kinds.js';
import { referenceBackend } from '../../lib/backend/reference/index.js';
import { broadcastPlan } from '../../lib/tensor/broadcast.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { rng } from '../helpers/random.js';

const random = (n: number, seed: number) => {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
};
const bits = (a: Float32Array) => Array.from(new Int32Array(a.buffer, a.byteOffset, a.length));

describe.skipIf(!nativeLoaded)('native plans', () => {
  const k = () => nativeBackend(addon!);

  /** A small step: dense(relu) → dense → add a row → sum per row → softmax, on the given arrays. */
  function calls(a: Record<string, Float32Array>): KernelCall[] {
    return [
      { method: 'dense', args: [a.x, a.w1, a.b1, a.h, { m: 8, k: 5, n: 6 }, 'relu'] },
      { method: 'dense', args: [a.h, a.w2, a.b2, a.y, { m: 8, k: 6, n: 4 }, 'linear'] },
      { method: 'binary', args: ['add', a.y, a.row, a.z, broadcastPlan([8, 4], [[8, 4], [4]])] },
      { method: 'reduce', args: ['sum', a.z, a.s, { outer: 8, n: 4, inner: 1 }] },
      { method: 'softmax', args: [a.z, a.p, 8, 4, false] },
    ];
  }
  const arrays = (seed: number): Record<string, Float32Array> => ({
    x: random(40, seed),
    w1: random(30, seed + 1),
    b1: random(6, seed + 2),
    w2: random(24, seed + 3),
    b2: random(4, seed + 4),
    row: random(4, seed + 5),
    h: new Float32Array(48),
    y: new Float32Array(32),
    z: new Float32Array(32),
    s: new Float32Array(8),
    p: new Float32Array(32),
  });
  const byOne = (b: Backend, cs: KernelCall[]) => {
    const f = b as unknown as Record<string, (...a: readonly unknown[]) => void>;
    for (const c of cs) f[c.method](...c.args);
  };

  it('gives the bits of the calls made one by one, and reads its arrays live at each run', () => {
    const b = nativeBackend(addon!, { unary: 0, binary: 0, reduce: 0, softmax: 0 }); // every call native
    const one = arrays(1),
      planned = arrays(1);
    const cs = calls(planned);
    expect(cs.every((c) => b.plans!.accepts(c))).toBe(true);
    const run = b.plans!.compile(cs).run;
    // compiling ran nothing: the outputs are still zero
    expect(planned.p.every((v) => v === 0)).toBe(true);
    for (let step = 0; step < 3; step++) {
      // new inputs in the same arrays, as a replayed step's batch
      const fresh = random(40, 10 + step);
      one.x.set(fresh);
      planned.x.set(fresh);
      planned.w1[0] += step; // a weight updated between steps
      one.w1[0] += step;
      byOne(b, calls(one));
      run();
      for (const name of ['h', 'y', 'z', 's', 'p']) expect(bits(planned[name])).toEqual(bits(one[name]));
    }
  });

  it('holds the arrays its calls point into: a plan whose intermediates nothing else references survives collection', () => {
    const b = nativeBackend(addon!, { unary: 0, binary: 0, reduce: 0, softmax: 0 });
    const expected = arrays(3);
    byOne(b, calls(expected));
    // only x and p stay referenced here; h, y, z, s and the weights live on in the plan alone
    const make = () => {
      const a = arrays(3);
      return { run: b.plans!.compile(calls(a)).run, p: a.p };
    };
    const { run, p } = make();
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    for (let i = 0; i < 5; i++) {
      gc();
      for (let j = 0; j < 200; j++) new Float32Array(48).fill(7); // memory a freed array could be handed to
    }
    run();
    expect(bits(p)).toEqual(bits(expected.p));
  });

  it('accepts the calls the adapter sends to the addon, at the adapter size rules', () => {
    // A spy addon: which calls reach it.
    let reached = false;
    const spy = new Proxy(addon!, {
      get: (t, p) =>
        typeof t[p as keyof NativeAddon] === 'function'
          ? (...a: unknown[]) => {
              reached = true;
              return (t[p as keyof NativeAddon] as (...x: unknown[]) => unknown)(...a);
            }
          : t[p as keyof NativeAddon],
    });
    const b = nativeBackend(spy) as unknown as Record<string, (...a: readonly unknown[]) => void>;
    for (const n of [1, NATIVE_MIN.unary - 1, NATIVE_MIN.unary, NATIVE_MIN.binary, NATIVE_MIN.reduce, 300]) {
      const x = random(n, n),
        out = new Float32Array(n),
        one = new Float32Array(1);
      const cases: KernelCall[] = [
        { method: 'unary', args: ['exp', x, out] },
        { method: 'binary', args: ['mul', x, x, out, broadcastPlan([n], [[n], [n]])] },
        { method: 'where', args: [x, x, x, out, broadcastPlan([n], [[n], [n], [n]])] },
        { method: 'broadcast', args: [one, out, broadcastPlan([n], [[1]])] },
        { method: 'reduce', args: ['sum', x, one, { outer: 1, n, inner: 1 }] },
        { method: 'argmax', args: [x, one, { outer: 1, n, inner: 1 }] },
        { method: 'softmax', args: [x, out, 1, n, false] },
        { method: 'softmaxBackward', args: [x, x, out, 1, n] },
        { method: 'maskedSoftmax', args: [x, new Float32Array(0), out, 1, n, 1, 1] },
        { method: 'copy', args: [x, out] },
      ];
      for (const c of cases) {
        reached = false;
        b[c.method](...c.args);
        expect([c.method, n, runsNatively(c, NATIVE_MIN)]).toEqual([c.method, n, reached]);
      }
    }
  });

  it('refuses the calls it cannot keep, and a bad call while compiling, with errors naming the binding', () => {
    const b = k();
    const x = random(6, 1),
      out = new Float32Array(6);
    expect(b.plans!.accepts({ method: 'gather', args: [x, Int32Array.of(0), out, 6] })).toBe(false);
    expect(b.plans!.accepts({ method: 'copy', args: [x, out] })).toBe(false); // a reference kernel
    addon!.planBegin();
    try {
      expect(() => addon!.gatherF32(x, Int32Array.of(0), out, 6)).toThrow(/^gatherF32: this call cannot be kept/);
      expect(() => addon!.adamUpdateF32(x, x.slice(), x.slice(), x.slice(), 0.1, 0.9, 0.999, 1e-7, 1, 0)).toThrow(
        /^adamUpdateF32: this call cannot be kept/,
      );
      expect(() => addon!.planBegin()).toThrow(/^planBegin: a plan is already being built/);
    } finally {
      expect(addon!.planEnd(false)).toBe(null);
    }
    const bad: KernelCall[] = [{ method: 'dense', args: [x, x, x, out, { m: 2, k: 3, n: 3 }, 'relu'] }];
    expect(() => b.plans!.compile(bad)).toThrow(/^denseF32: w has 6 elements, expected k\*n = 9/);
    // after a failed compile the bindings run their calls again
    const y = new Float32Array(6);
    addon!.unaryF32(0, x, y);
    expect(y.some((v) => v !== 0)).toBe(true);
    expect(() => addon!.planRun({} as never)).toThrow(/^planRun: plan must be a plan/);
  });
});

describe.skipIf(!nativeLoaded)('native plans: many steps a call', () => {
  it('runs a plan steps times, feeding each step its block and collecting its outputs, as step by step', () => {
    const b = nativeBackend(addon!);
    const x = new Float32Array(6),
      w = random(6, 2),
      y = new Float32Array(4),
      s = new Float32Array(1);
    const rule = new Float64Array(2); // any typed array can be fed (an optimizer's rule is a Float64Array)
    const cs: KernelCall[] = [
      { method: 'dense', args: [x, w, new Float32Array(0), y, { m: 2, k: 3, n: 2 }, 'linear'] },
      { method: 'reduce', args: ['sum', y, s, { outer: 1, n: 4, inner: 1 }] },
    ];
    const compiled = b.plans!.compile(cs);
    const steps = 5,
      xs = random(6 * steps, 9),
      sums = new Float32Array(steps),
      ys = new Float32Array(4 * steps),
      rules = Float64Array.from({ length: 2 * steps }, (_, i) => i);
    compiled.runSteps(steps, { feeds: [x, xs, rule, rules], collects: [s, sums, y, ys] });
    expect(Array.from(rule)).toEqual([8, 9]); // the last step's block
    const k = b as unknown as Record<string, (...a: readonly unknown[]) => void>;
    for (let j = 0; j < steps; j++) {
      x.set(xs.subarray(6 * j, 6 * j + 6));
      for (const c of cs) k[c.method](...c.args);
      expect(bits(sums.subarray(j, j + 1))).toEqual(bits(s));
      expect(bits(ys.subarray(4 * j, 4 * j + 4))).toEqual(bits(y));
    }
    // gathers: each step's x is rows of a source, named by rows (a shuffled order)
    const source = random(6 * 7, 12); // 14 rows of 3
    const order = Int32Array.from([13, 2, 5, 5, 0, 9, 11, 1, 7, 3]); // 5 steps of 2 rows
    compiled.runSteps(steps, { feeds: [], collects: [s, sums], rows: order, gathers: [x, source] });
    for (let j = 0; j < steps; j++) {
      for (let r = 0; r < 2; r++) x.set(source.subarray(3 * order[2 * j + r], 3 * order[2 * j + r] + 3), 3 * r);
      for (const c of cs) k[c.method](...c.args);
      expect(bits(sums.subarray(j, j + 1))).toEqual(bits(s));
    }
    // a feed of one block is copied at every step (a plan's restored accumulator)
    const start = Float32Array.of(3);
    compiled.runSteps(2, { feeds: [s, start], collects: [] });
    expect(s[0]).not.toBe(3); // the reduce overwrote it after the feed
  });

  it('refuses feeds and collects that do not fit, with errors naming planRunSteps', () => {
    const b = nativeBackend(addon!);
    const x = random(4, 1),
      out = new Float32Array(4);
    const compiled = b.plans!.compile([{ method: 'unary', args: ['relu', x, out] }]);
    const f32 = (n: number) => new Float32Array(n);
    expect(() => compiled.runSteps(3, { feeds: [x, f32(8)], collects: [] })).toThrow(
      /^planRunSteps: feeds pair 0: 32 bytes for 3 steps/,
    );
    expect(() => compiled.runSteps(3, { feeds: [], collects: [out, f32(4)] })).toThrow(
      /^planRunSteps: collects pair 0: 16 bytes/,
    );
    expect(() => compiled.runSteps(3, { feeds: [x], collects: [] })).toThrow(/^planRunSteps: feeds must hold pairs/);
    expect(() => compiled.runSteps(1, { feeds: [x, x.subarray(0, 4)], collects: [] })).toThrow(
      /^planRunSteps: feeds pair 0 overlaps/,
    );
    expect(() => compiled.runSteps(1, { feeds: [x, [1, 2, 3, 4] as never], collects: [] })).toThrow(
      /^planRunSteps: feeds\[1\] must be/,
    );
    expect(() => compiled.runSteps(-1, { feeds: [], collects: [] })).toThrow(/^planRunSteps: steps must be an integer/);
    expect(() => addon!.planRunSteps({} as never, 1, [], [], new Int32Array(0), [])).toThrow(
      /^planRunSteps: plan must be a plan/,
    );
    // nothing ran: out is still zero
    expect(out.every((v) => v === 0)).toBe(true);
    // gathers: rows that are not rows of the source, a batch that does not divide, rows not a batch a step
    const src = f32(12); // 3 rows of 4
    const gather = (rows: number[], steps = 2) =>
      compiled.runSteps(steps, { feeds: [], collects: [], rows: Int32Array.from(rows), gathers: [x, src] });
    expect(() => gather([0, 3])).toThrow(/^planRunSteps: gathers pair 0: rows\[1\] = 3 is not a row in \[0, 3\)/);
    expect(() => gather([0, -1])).toThrow(/rows\[1\] = -1 is not a row/);
    expect(() => gather([0, 1, 2])).toThrow(/^planRunSteps: rows has 3 entries, not a batch for each of 2 steps/);
    expect(() => gather([0, 1, 2, 0, 1, 2], 2)).toThrow(/^planRunSteps: gathers pair 0: 16 bytes are not 3 rows/);
    expect(() =>
      compiled.runSteps(1, { feeds: [], collects: [], rows: Int32Array.of(0), gathers: [x, src.subarray(0, 6)] }),
    ).toThrow(/gathers pair 0: 24 bytes are not rows of 16/);
    compiled.runSteps(0, { feeds: [], collects: [] });
    expect(out.every((v) => v === 0)).toBe(true);
    // rows of no values (a zero-width input) gather nothing; the step runs
    compiled.runSteps(1, { feeds: [], collects: [], rows: Int32Array.of(2), gathers: [f32(0), src] });
    expect(out.some((v) => v !== 0)).toBe(true);
  });
});

describe.skipIf(!nativeLoaded)('kernels a plan runs where the adapter runs the reference', () => {
  const exact = () => nativeBackend(addon!, ALL_NATIVE, true) as unknown as Record<string, (...a: unknown[]) => void>;
  const ref = referenceBackend as unknown as Record<string, (...a: unknown[]) => void>;
  const special = Float32Array.of(0, -0, 1, -1, NaN, Infinity, -Infinity, 3e38, -3e38, 1e-45, 0.5, 2);
  /** n values: random ones in [-2, 2) with the special ones among them. */
  const values = (n: number, seed: number) => {
    const v = random(n, seed).map((x) => x * 2);
    for (let i = 0; i < n; i += 3) v[i] = special[(i / 3 + seed) % special.length];
    return v;
  };
  const same = (got: Float32Array, want: Float32Array) =>
    expect(bits(got.map((v) => (v !== v ? NaN : v)))).toEqual(bits(want.map((v) => (v !== v ? NaN : v))));

  it.each([1, 7, 40, 130])('give the reference bits on %i elements (broadcasts, NaN, ±0, ±Inf)', (n) => {
    const calls: KernelCall[] = [];
    const a = values(n, n),
      b = values(n, n + 1),
      row = values(1, n + 2),
      c = values(n, n + 3).map((v) => +(v > 0));
    for (const op of ['neg', 'sqrt', 'abs', 'square', 'relu', 'step', 'sign'])
      calls.push({ method: 'unary', args: [op, a, new Float32Array(n)] });
    for (const op of BINARY_OPS.filter((o) => o !== 'pow')) {
      calls.push({ method: 'binary', args: [op, a, b, new Float32Array(n), broadcastPlan([n], [[n], [n]])] });
      calls.push({ method: 'binary', args: [op, a, row, new Float32Array(n), broadcastPlan([n], [[n], [1]])] });
    }
    calls.push({ method: 'where', args: [c, a, b, new Float32Array(n), broadcastPlan([n], [[n], [n], [n]])] });
    calls.push({ method: 'broadcast', args: [row, new Float32Array(n), broadcastPlan([n], [[1]])] });
    for (const op of ['sum', 'max', 'min']) {
      calls.push({ method: 'reduce', args: [op, a, new Float32Array(1), { outer: 1, n, inner: 1 }] });
      calls.push({ method: 'reduce', args: [op, b.map(Math.abs), new Float32Array(1), { outer: 1, n, inner: 1 }] });
    }
    calls.push({ method: 'argmax', args: [a, new Float32Array(1), { outer: 1, n, inner: 1 }] });
    const outAt: Record<string, number> = { unary: 2, binary: 3, where: 3, broadcast: 1, reduce: 2, argmax: 1 };
    for (const c of calls) {
      expect(sameBitsNatively(c)).toBe(true);
      const out = c.args[outAt[c.method]] as Float32Array;
      const want = out.slice(),
        args = [...c.args];
      args[outAt[c.method]] = want;
      ref[c.method](...args);
      exact()[c.method](...c.args);
      same(out, want);
    }
    expect(sameBitsNatively({ method: 'binary', args: ['pow', a, b, a, null] })).toBe(false);
    expect(sameBitsNatively({ method: 'unary', args: ['exp', a, a] })).toBe(false);
  });

  it('sums in the reference order: long rows of mixed magnitudes, bit for bit', () => {
    const r = rng(5);
    for (const n of [8, 33, 129, 1000, 4097]) {
      const x = Float32Array.from({ length: n }, () => (r() - 0.5) * 10 ** Math.floor(r() * 12 - 6));
      const got = new Float32Array(1),
        want = new Float32Array(1);
      exact().reduce('sum', x, got, { outer: 1, n, inner: 1 });
      ref.reduce('sum', x, want, { outer: 1, n, inner: 1 });
      expect(bits(got)).toEqual(bits(want));
    }
  });

  it('crossentropies give the reference bits: a million probabilities (JavaScript log), clip bounds, NaN, rows of 1', () => {
    const r = rng(11);
    const n = 1 << 20;
    // probabilities over many magnitudes, the clip bounds and their neighbours, 0, 1, NaN
    const p = Float32Array.from({ length: n }, (_, i) =>
      i % 97 === 0 ? [0, 1, 1e-7, 0.99999988, 1.0000001e-7, 0.9999998, NaN, 0.5][i % 8] : r() ** (1 + 6 * r()),
    );
    for (const kind of ['binary', 'categorical'] as const)
      for (const [cols, eps] of [
        [1, 1e-7],
        [2, 1e-7],
        [3, 1e-3],
        [2, 0],
      ] as const) {
        const rows = Math.floor(n / cols) >> (kind === 'categorical' ? 2 : 0);
        const pp = p.subarray(0, rows * cols);
        // one-hot targets, fractional ones, and (binary) 0/1 targets against any p
        const y = Float32Array.from({ length: rows * cols }, (_, i) =>
          i % 5 === 4 ? r() : i % cols === Math.floor(i / cols) % cols ? 1 : 0,
        );
        const dy = Float32Array.from({ length: rows }, () => r() - 0.5);
        const got = new Float32Array(rows),
          want = new Float32Array(rows);
        exact().crossentropy(kind, y, pp, got, rows, cols, eps);
        ref.crossentropy(kind, y, pp, want, rows, cols, eps);
        same(got, want);
        const dgot = new Float32Array(rows * cols),
          dwant = new Float32Array(rows * cols);
        exact().crossentropyBackward(kind, y, pp, dy, dgot, rows, cols, eps);
        ref.crossentropyBackward(kind, y, pp, dy, dwant, rows, cols, eps);
        same(dgot, dwant);
      }
    // empty batches
    const none = new Float32Array(0);
    exact().crossentropy('binary', none, none, none, 0, 2, 1e-7);
  });

  it('the crossentropy bindings refuse bad sizes, kinds and eps', () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => addon!.crossentropyF32(2, f(4), f(4), f(2), 2, 2, 1e-7)).toThrow(/^crossentropyF32: kind code/);
    expect(() => addon!.crossentropyF32(0, f(4), f(3), f(2), 2, 2, 1e-7)).toThrow(/^crossentropyF32: p has 3/);
    expect(() => addon!.crossentropyF32(0, f(4), f(4), f(3), 2, 2, 1e-7)).toThrow(/^crossentropyF32: out has 3/);
    expect(() => addon!.crossentropyF32(0, f(4), f(4), f(2), 2, 2, NaN)).toThrow(/^crossentropyF32: eps must be/);
    const p = f(4);
    expect(() => addon!.crossentropyF32(0, f(4), p, p.subarray(0, 2), 2, 2, 1e-7)).toThrow(/out must not overlap p/);
    expect(() => addon!.crossentropyBackwardF32(1, f(4), f(4), f(1), f(4), 2, 2, 1e-7)).toThrow(
      /^crossentropyBackwardF32: dy has 1 elements, expected rows = 2/,
    );
  });
});
