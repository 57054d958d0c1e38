// Property-based fuzzing of the public ops (issue 10): random shapes (rank 0–5, sizes 0–4), values
// (NaN, ±Infinity, −0, subnormals, ±3e38), wrong-typed arguments and bad axes/dims. Every call either
// returns a tensor that agrees between the native and reference backends, or throws a TensileError on
// both; never another error type, and never changes its inputs. FUZZ_RUNS sets cases per op (npm run fuzz).
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { availableBackends, onBackend } from '../helpers/ops.js';
import {
  attempt,
  checkUnchanged,
  collected,
  COLLECT,
  counter,
  describeError,
  finding,
  type Outcome,
  dim,
  intArb,
  junk,
  mismatch,
  runs,
  SEED,
  shapeArb,
  show,
  snapshotArgs,
  tensorArb,
  tensorArg,
  tensorOf,
} from './arbitraries.js';

type Args = unknown[];
interface OpCase {
  name: string;
  args: fc.Arbitrary<Args>;
  call: (...args: Args) => unknown;
  /** Accumulating ops draw "large" values no bigger than this (so accumulation order cannot overflow). */
  rtol?: number;
}

const t = (minRank = 0, maxRank = 5, large?: number) => tensorArg(tensorArb(minRank, maxRank, large));
/** Two shapes that usually broadcast: b is a suffix of a with some dims set to 1 (or the other way round). */
const broadcastPair = fc
  .tuple(
    shapeArb(0, 5, 128),
    fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    fc.nat(5),
    fc.boolean(),
    fc.nat(9),
  )
  .chain(([a, ones, drop, swap, wild]) => {
    let b = a.slice(Math.min(drop, a.length)).map((d, i) => (ones[i] ? 1 : d));
    if (wild === 0) b = b.map((d) => d + 1); // usually a mismatch
    const [x, y] = swap ? [b, a] : [a, b];
    return fc.tuple(tensorOf(x), tensorOf(y));
  });
const axisList = (maxRank: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: intArb(-maxRank, maxRank - 1), weight: 4 },
    { arbitrary: fc.array(intArb(-maxRank, maxRank - 1), { maxLength: 3 }), weight: 3 },
    { arbitrary: junk, weight: 1 },
  );
const options = (axis: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      arbitrary: fc.record(
        { axis, keepDims: fc.oneof(fc.boolean(), fc.constant(undefined), fc.constant('yes' as unknown)) },
        { requiredKeys: [] },
      ),
      weight: 8,
    },
    { arbitrary: junk, weight: 1 },
  );
const intList = (lo: number, hi: number, maxLength = 5): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: fc.array(intArb(lo, hi), { maxLength }), weight: 8 }, { arbitrary: junk, weight: 1 });

const UNARY = ['neg', 'exp', 'log', 'sqrt', 'abs', 'square', 'relu', 'sigmoid', 'tanh'] as const;
const BINARY = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'equal',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
] as const;
const fnOf = (name: string) => (tl as unknown as Record<string, (...a: Args) => unknown>)[name];

const binaryArgs = fc.oneof(
  { arbitrary: broadcastPair.map((p): Args => p), weight: 8 },
  { arbitrary: fc.tuple(t(), t()).map((p): Args => p), weight: 2 },
);

const OPS: OpCase[] = [
  ...UNARY.map((name): OpCase => ({ name, args: fc.tuple(t()), call: fnOf(name) })),
  ...BINARY.map((name): OpCase => ({ name, args: binaryArgs, call: fnOf(name) })),
  ...(['sum', 'mean', 'max', 'min'] as const).map((name): OpCase => ({
    name,
    args: fc.tuple(t(0, 5, 1e30), fc.option(options(axisList(5)), { nil: undefined })),
    call: fnOf(name),
  })),
  { name: 'argmax', args: fc.tuple(t(), fc.option(intArb(-5, 4), { nil: undefined })), call: fnOf('argmax') },
  {
    name: 'matmul',
    args: fc
      .tuple(fc.array(dim, { maxLength: 2 }), dim, dim, dim, fc.nat(7), fc.boolean(), fc.boolean(), fc.nat(4))
      .chain(([batch, m, k, n, wild, ta, tb, bdrop]) => {
        const k2 = wild === 0 ? k + 1 : k;
        const a = [...batch, ...(ta ? [k, m] : [m, k])];
        const b = [...batch.slice(Math.min(bdrop, batch.length)), ...(tb ? [n, k2] : [k2, n])];
        const aa = wild === 1 ? a.slice(-1) : a;
        return fc.tuple(
          tensorArg(tensorOf(aa, 1e15)),
          tensorArg(tensorOf(b, 1e15)),
          fc.oneof(fc.constant({ transposeA: ta, transposeB: tb }), fc.constant(undefined), junk),
        );
      }),
    call: fnOf('matmul'),
  },
  { name: 'softmax', args: fc.tuple(t(), fc.option(intArb(-5, 4), { nil: undefined })), call: fnOf('softmax') },
  { name: 'logSoftmax', args: fc.tuple(t(), fc.option(intArb(-5, 4), { nil: undefined })), call: fnOf('logSoftmax') },
  {
    name: 'reshape',
    args: tensorArb().chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.oneof(
          { arbitrary: fc.shuffledSubarray([...x.shape, 1, 1]).map((s) => s), weight: 4 },
          { arbitrary: fc.constant([x.size]), weight: 1 },
          { arbitrary: fc.constant([-1]), weight: 1 },
          { arbitrary: intList(-2, 6), weight: 3 },
          { arbitrary: fc.constantFrom([2 ** 31, 0], [2 ** 53], [1e300, 1e-300], [NaN]), weight: 1 },
        ),
      ),
    ),
    call: fnOf('reshape'),
  },
  {
    name: 'transpose',
    args: tensorArb().chain((x) =>
      fc.tuple(
        tensorArg(fc.constant(x)),
        fc.oneof(
          {
            arbitrary: fc.shuffledSubarray(
              x.shape.map((_, i) => i),
              { minLength: x.rank, maxLength: x.rank },
            ),
            weight: 6,
          },
          { arbitrary: fc.constant(undefined), weight: 1 },
          { arbitrary: intList(-6, 6), weight: 2 },
        ),
      ),
    ),
    call: fnOf('transpose'),
  },
  {
    name: 'concat',
    args: fc
      .tuple(shapeArb(1, 4, 64), fc.nat(3), fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }), fc.nat(9))
      .chain(([s, axis0, sizes, wild]) => {
        const axis = axis0 % s.length;
        const shapes = sizes.map((d) => s.map((x, i) => (i === axis ? d : wild === 0 && d === 1 ? x + 1 : x)));
        return fc.tuple(
          fc.oneof(
            { arbitrary: fc.tuple(...shapes.map((sh) => tensorArg(tensorOf(sh)))), weight: 9 },
            { arbitrary: junk, weight: 1 },
          ),
          fc.oneof(
            { arbitrary: fc.constant(axis), weight: 3 },
            { arbitrary: fc.constant(axis - s.length), weight: 1 },
            { arbitrary: intArb(-5, 5), weight: 1 },
          ),
        );
      }),
    call: fnOf('concat'),
  },
  {
    name: 'slice',
    args: tensorArb(0, 5).chain((x) =>
      fc.tuple(
        tensorArg(fc.constant(x)),
        fc.oneof(
          { arbitrary: fc.tuple(...x.shape.map((d) => fc.integer({ min: 0, max: d }))), weight: 6 },
          { arbitrary: intList(-2, 5), weight: 2 },
        ),
        fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 2 },
          { arbitrary: fc.tuple(...x.shape.map(() => fc.integer({ min: -1, max: 2 }))), weight: 4 },
          { arbitrary: intList(-2, 5), weight: 2 },
        ),
      ),
    ),
    call: fnOf('slice'),
  },
  {
    name: 'gather',
    args: tensorArb(0, 4).chain((x) =>
      fc.tuple(
        tensorArg(fc.constant(x)),
        fc.oneof(
          {
            arbitrary: fc.array(fc.integer({ min: 0, max: Math.max(0, (x.shape[0] ?? 1) - 1) }), { maxLength: 4 }),
            weight: 4,
          },
          {
            arbitrary: fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 4 }).map((a) => Int32Array.from(a)),
            weight: 2,
          },
          { arbitrary: fc.array(intArb(-2, 5), { maxLength: 3 }), weight: 2 },
          { arbitrary: tensorArb(0, 2), weight: 1 },
          { arbitrary: junk, weight: 1 },
        ),
      ),
    ),
    call: fnOf('gather'),
  },
  {
    name: 'where',
    args: fc.oneof(
      {
        arbitrary: broadcastPair.chain(([a, b]) =>
          fc.tuple(tensorArg(tensorOf(b.shape)), fc.constant(a), fc.constant(b)),
        ),
        weight: 8,
      },
      { arbitrary: fc.tuple(t(), t(), t()), weight: 2 },
    ),
    call: fnOf('where'),
  },
  {
    name: 'clip',
    args: fc.tuple(t(), fc.oneof(fc.double(), intArb(-3, 3)), fc.oneof(fc.double(), intArb(-3, 3))),
    call: fnOf('clip'),
  },
  {
    name: 'broadcastTo',
    args: tensorArb(0, 3).chain((x) =>
      fc.tuple(
        tensorArg(fc.constant(x)),
        fc.oneof(
          {
            arbitrary: fc
              .tuple(fc.array(dim, { maxLength: 2 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }))
              .map(([pre, b]) => [...pre, ...x.shape.map((d, i) => (d === 1 && b[i] ? 3 : d))]),
            weight: 6,
          },
          { arbitrary: intList(-2, 5), weight: 2 },
          { arbitrary: fc.constantFrom([2 ** 31, 2 ** 31], [1e6, 1e6, 1e6], [2 ** 53, 2], [-1, 2]), weight: 1 },
        ),
      ),
    ),
    call: fnOf('broadcastTo'),
  },
  {
    name: 'zeros',
    args: fc.tuple(
      fc.oneof(
        { arbitrary: intList(-2, 4), weight: 4 },
        { arbitrary: fc.constantFrom([2 ** 31, 2 ** 31], [1e6, 1e6, 1e6], [2 ** 40], [1e300]), weight: 1 },
      ),
    ),
    call: fnOf('zeros'),
  },
  {
    name: 'tensor',
    args: fc.tuple(
      fc.oneof(
        fc.array(fc.double(), { maxLength: 8 }).map((a) => Float32Array.from(a)),
        fc.array(fc.double(), { maxLength: 8 }),
        junk,
      ),
      fc.oneof(fc.constant(undefined), intList(-2, 8)),
    ),
    call: fnOf('tensor'),
  },
];

/** Atol for a result: accumulating ops add up to 4^5 terms of the inputs' magnitude. */
function tolerance(args: Args): number {
  let m = 0;
  const visit = (a: unknown) => {
    if (a instanceof tl.Tensor)
      for (const v of a.data)
        if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
        else if (Array.isArray(a)) a.forEach(visit);
  };
  args.forEach(visit);
  return 1e-5 * Math.max(1, m);
}

/**
 * Open findings: a non-TensileError matching one of these is tolerated here and pinned by an it.skip
 * reproducer below until lib/ is fixed. None are open now (F1–F5 were fixed with their reproducers kept as tests).
 */
function knownFinding(_op: string, _args: Args, _error: unknown): boolean {
  return false; // F1–F5 are fixed; add a finding here (with an it.skip reproducer below) while it is open.
}

const DEFAULT_RUNS = 200; // per op: ~40 ops × 200 ≈ 3 s
const backends = availableBackends();
let cases = 0;
afterAll(() => {
  counter.cases += cases;
  if (process.env.FUZZ_RUNS || COLLECT) console.log(`ops.fuzz: ${cases} cases`);
  if (COLLECT) for (const [k, v] of collected) console.log(`FINDING ${k}\n  ${v}`);
});

describe('fuzz: public ops return agreeing results or throw a TensileError', () => {
  for (const op of OPS) {
    it(op.name, () => {
      fc.assert(
        fc.property(op.args, (args) => {
          cases++;
          const label = `tl.${op.name}(${show(args)})`;
          const outcomes = backends.map((b) =>
            onBackend(b, () => {
              const snap = snapshotArgs(args);
              const r = attempt(() => op.call(...args));
              try {
                checkUnchanged(`${label} on ${b}`, snap);
              } catch (e) {
                finding(`${op.name} mutated`, String(e));
              }
              return r;
            }),
          );
          for (const [i, o] of outcomes.entries()) {
            if (o.kind === 'other') {
              const msg = describeError(o.error);
              if (knownFinding(op.name, args, o.error)) return;
              return finding(
                `${op.name}: ${msg.replace(/\d+/g, 'N')}`,
                `${label} on ${backends[i]} threw a non-TensileError: ${msg}`,
              );
            }
            if (o.kind === 'ok' && !(o.value instanceof tl.Tensor))
              return finding(`${op.name} non-tensor`, `${label} returned a non-Tensor`);
          }
          if (outcomes.length < 2) return;
          const [n, r] = outcomes;
          const said = (o: Outcome) => (o.kind === 'ok' ? 'returned' : `threw ${describeError(o.error)}`);
          if (n.kind !== r.kind)
            return finding(`${op.name} disagree ${n.kind}`, `${label}: native ${said(n)}, reference ${said(r)}`);
          if (n.kind !== 'ok' || r.kind !== 'ok') return;
          const a = n.value as tl.Tensor,
            b = r.value as tl.Tensor;
          if (a.shape.join() !== b.shape.join())
            return finding(`${op.name} shape`, `${label}: native shape [${a.shape}] vs reference [${b.shape}]`);
          const bad = mismatch(a.data, b.data, op.rtol ?? 1e-4, tolerance(args));
          if (bad) return finding(`${op.name} values`, `${label}: native vs reference ${bad}`);
        }),
        { seed: SEED, numRuns: runs(DEFAULT_RUNS) },
      );
    });
  }
});

// Findings pinned (issue 10). Each it.skip is the minimal reproducer; un-skip when lib/ is fixed.
describe('fuzz findings (open)', () => {
  const expectTensile = (fn: () => unknown) => {
    const o = attempt(fn);
    if (o.kind !== 'tensile')
      throw new Error(`expected a TensileError, got ${o.kind === 'ok' ? 'a result' : describeError(o.error)}`);
  };
  // F1: TypeError ("Cannot read properties of null", "list.map is not a function") instead of a TensileError.
  it('F1 sum/mean/max/min reject null options and a non-number axis with a TensileError', () => {
    expectTensile(() => tl.sum(tl.ones([2]), null as never));
    expectTensile(() => tl.mean(tl.ones([2]), { axis: null as never }));
    expectTensile(() => tl.max(tl.ones([2]), { axis: 1n as never }));
    expectTensile(() => tl.min(tl.ones([2]), { axis: '0' as never }));
  });
  // F2: TypeError "Cannot read properties of null (reading 'transposeA')".
  it('F2 matmul rejects null options with a TensileError', () => {
    expectTensile(() => tl.matmul(tl.ones([2, 2]), tl.ones([2, 2]), null as never));
  });
  // F3: TypeError "p is not iterable" / "p.join is not a function".
  it('F3 transpose rejects a perm that is not an array with a TensileError', () => {
    expectTensile(() => tl.transpose(tl.ones([2, 2]), {} as never));
    expectTensile(() => tl.transpose(tl.ones([2, 2]), 'ab' as never));
  });
  // F4: TypeError "Cannot read properties of undefined (reading 'length')" / "begin.join is not a function".
  it('F4 slice rejects begin/size that are not arrays with a TensileError', () => {
    expectTensile(() => tl.slice(tl.ones([2]), undefined as never));
    expectTensile(() => tl.slice(tl.ones([2]), 1 as never));
    expectTensile(() => tl.slice(tl.ones([2]), [0], {} as never));
  });
  // F5: matmul batch broadcasting of 0 against 1: native throws RangeError
  // "gemmF32: c has 4 elements, expected m*n = 0"; reference silently returns shape [1, 2, 2] (should be [0, 2, 2]).
  it('F5 matmul broadcasts a zero batch dim against a missing/1 batch dim to 0 on both backends', () => {
    for (const b of backends) {
      const y = onBackend(b, () => tl.matmul(tl.zeros([0, 2, 4]), tl.zeros([4, 2])));
      if (y.shape.join() !== '0,2,2') throw new Error(`${b}: shape [${y.shape}]`);
      const z = onBackend(b, () => tl.matmul(tl.zeros([1, 2, 4]), tl.zeros([0, 4, 2])));
      if (z.shape.join() !== '0,2,2') throw new Error(`${b}: shape [${z.shape}]`);
    }
  });
});
