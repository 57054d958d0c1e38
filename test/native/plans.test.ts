// Native plans (native/src/binding/deferred.cc, lib/backend/native/plans.ts): kernel calls validated once and run
// as one call give the bits of the same calls made one by one, read their arrays live, and refuse what they cannot
// keep. (Whole training steps on plans: test/models/step-plans.test.ts.)
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Backend, KernelCall } from '../../lib/backend/backend.js';
import type { NativeAddon } from '../../lib/backend/native/addon-types.js';
import { NATIVE_MIN, nativeBackend } from '../../lib/backend/native/index.js';
import { runsNatively } from '../../lib/backend/native/plans.js';
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
    const run = b.plans!.compile(cs);
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
      return { run: b.plans!.compile(calls(a)), p: a.p };
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
