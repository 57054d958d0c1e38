// Fuzzing the native addon's bindings directly (issue 10): random argument lists (random types per
// position, lengths, dims incl. negative/NaN/huge, overlapping subarray views). Every call either returns
// or throws an Error whose message starts with the binding's name; a crash would kill this worker.
// FUZZ_RUNS sets cases per binding (npm run fuzz).
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import type { NativeAddon } from '../../lib/backend/native/addon-types.js';
import { ADDON_SIGNATURES, type ArgKind } from '../../lib/backend/native/signatures.js';
import { addon, nativeLoaded } from '../helpers/backends.js';
import { COLLECT, collected, finding, runs, SEED } from './arbitraries.js';

/** Bindings not fuzzed: info and thread counts (global state), plan* (they switch every binding into keeping calls;
 * test/native/plans.test.ts covers them). Every other binding of ADDON_SIGNATURES is fuzzed with its arity. */
const NOT_FUZZED: readonly string[] = [
  'info',
  'opNames',
  'getNumThreads',
  'setNumThreads',
  'planBegin',
  'planEnd',
  'planRun',
];
const FUZZED = Object.entries(ADDON_SIGNATURES).filter(([name]) => !NOT_FUZZED.includes(name)) as [
  keyof NativeAddon,
  readonly ArgKind[],
][];

const smallInt = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 6 }), weight: 8 },
  { arbitrary: fc.integer({ min: -3, max: 64 }), weight: 2 },
);
const badNumber = fc.constantFrom(
  -1,
  0.5,
  NaN,
  Infinity,
  -Infinity,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 32,
  2 ** 53,
  2 ** 63,
  -(2 ** 31),
  1e300,
  -0,
);
const num = fc.oneof(
  { arbitrary: smallInt, weight: 8 },
  { arbitrary: badNumber, weight: 2 },
  { arbitrary: fc.double(), weight: 1 },
);
/** A pool all Float32Array views of a call are cut from, so that some overlap. */
type Pool = Float32Array;
const f32 = (pool: Pool) =>
  fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 48 }).map((n) => new Float32Array(n).fill(0.5)), weight: 6 },
    {
      arbitrary: fc
        .tuple(fc.nat(60), fc.nat(48))
        .map(([o, n]) => pool.subarray(Math.min(o, pool.length), Math.min(o + n, pool.length))),
      weight: 3,
    },
    { arbitrary: fc.constant(new Float32Array(0)), weight: 1 },
  );
const dims = fc
  .array(fc.oneof({ arbitrary: smallInt, weight: 8 }, { arbitrary: badNumber, weight: 1 }), { maxLength: 6 })
  .map((a) => Float64Array.from(a));
const i32 = fc
  .array(fc.oneof({ arbitrary: fc.integer({ min: 0, max: 5 }), weight: 8 }, { arbitrary: fc.integer(), weight: 1 }), {
    maxLength: 12,
  })
  .map((a) => Int32Array.from(a));
const other = fc.constantFrom<unknown>(
  undefined,
  null,
  'x',
  {},
  [1, 2],
  true,
  false,
  new Float64Array(2),
  new Int32Array(3),
  new Uint8Array(4),
  1n,
  new ArrayBuffer(8),
);
const argFor = (pool: Pool): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: f32(pool), weight: 6 },
    { arbitrary: num, weight: 5 },
    { arbitrary: dims, weight: 2 },
    { arbitrary: i32, weight: 1 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: other, weight: 1 },
  );
const argList = (arity: number) => {
  const pool = new Float32Array(64).fill(0.25);
  return fc
    .tuple(
      fc.integer({ min: Math.max(0, arity - 1), max: arity + 1 }),
      fc.array(argFor(pool), { minLength: arity + 1, maxLength: arity + 1 }),
    )
    .map(([n, a]) => a.slice(0, n));
};

/** Arguments of the declared kinds (sizes and numbers still random): calls that get past the type checks. */
const typedList = (kinds: readonly ArgKind[]) => {
  const pool = new Float32Array(64).fill(0.25);
  const of: Record<ArgKind, fc.Arbitrary<unknown>> = {
    f32: f32(pool),
    f64: dims,
    i32,
    num,
    bool: fc.boolean(),
    str: fc.string({ maxLength: 8 }),
    other,
  };
  return fc.tuple(...kinds.map((k) => of[k]));
};

/** Valid calls (from small random dims) that the mutated cases start from, so that fuzzing reaches the kernels. */
const F = (n: number) => new Float32Array(Math.max(0, n)).map((_, i) => ((i * 7) % 5) - 2);
const VALID: Partial<Record<keyof NativeAddon, (d: number[]) => unknown[]>> = {
  unaryF32: ([a, b]) => [a % 11, F(b * 3), F(b * 3)],
  reduceF32: ([a, b, c, d]) => [a % 3, F(b * c * d), F(b * d), b, c, d],
  argmaxF32: ([, b, c, d]) => [F(b * c * d), F(b * d), b, c, d],
  softmaxF32: ([a, b, c]) => [F(b * c), F(b * c), b, c, a % 2 === 0],
  gatherF32: ([a, b, c]) => [F(b * c), Int32Array.from({ length: a }, (_, i) => i % Math.max(b, 1)), F(a * c), c],
  scatterAddF32: ([a, b, c]) => [F(a * c), Int32Array.from({ length: a }, (_, i) => i % Math.max(b, 1)), F(b * c), c],
  sgdUpdateF32: ([a, b]) => [F(b), F(b), F(b), 0.1, a / 10, a % 2 === 0],
  adagradUpdateF32: ([, b]) => [F(b), F(b), F(b), 0.1, 1e-7],
  adamUpdateF32: ([a, b]) => [F(b), F(b), F(b), F(b), 0.01, 0.9, 0.999, 1e-7, a + 1, 0],
  rmspropUpdateF32: ([a, b]) => [F(b), F(b), F(b), F(b), F(b), 0.01, 0.9, 0, 1e-7, a % 2 === 0],
  applyUpdateF32: ([a, b]) => [Float64Array.of(a % 4, 0.01, 0.5, 0.9, 1e-7, 1, 0), F(b), F(b), F(b), F(b), F(b)],
  gemmF32: ([a, b, c, d]) => [F(b * d), F(d * c), F(b * c), b, c, d, false, false, 1, a % 2],
  denseF32: ([a, b, c, d]) => [F(b * c), F(c * d), F(d), F(b * d), b, c, d, a % 4],
  transposeF32: ([, b, c, d]) => [F(b * c * d), F(b * c * d), Float64Array.of(b, c, d), Float64Array.of(2, 0, 1)],
  broadcastF32: ([, b, c]) => [F(c), F(b * c), Float64Array.of(b, c), Float64Array.of(0, 1)],
  binaryF32: ([a, b, c]) => [
    a % 12,
    F(b * c),
    F(c),
    F(b * c),
    Float64Array.of(b, c),
    Float64Array.of(c, 1),
    Float64Array.of(0, 1),
  ],
  rnnCellF32: ([a, b, c]) => [F(b * c), F(b * c), F(0), F(b * c), b, c, a % 2],
  gruResetCellBackwardF32: ([a, b, c, d]) => [
    F(3 * b * c),
    F(b * c),
    F(d % 2 ? b : 0),
    F(a % 2 ? b * c : 0),
    F(b * c),
    F(d > 2 ? b * c : 0),
    F(b * c),
    F(3 * b * c),
    F(2 * b * c),
    F(b * c),
    b,
    c,
    a % 5,
    d % 5,
  ],
  mlpForwardF32: ([a, b, c, d]) => [F(b * c), F(b * d), Float64Array.of(b, c, d, a % 5), F(c * d), F(a % 2 ? d : 0)],
};
const mutated = (name: keyof NativeAddon) => {
  const pool = new Float32Array(64).fill(0.25);
  return fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 4 }),
      fc.nat(12),
      argFor(pool),
      fc.nat(3),
    )
    .map(([d, pos, junkArg, how]) => {
      const args = VALID[name]!(d);
      const i = pos % (args.length + 1);
      if (i === args.length) return args; // unmutated
      const x = args[i];
      if (how === 0 && x instanceof Float32Array)
        args[i] = new Float32Array(Math.max(0, x.length + (pos % 2 ? 1 : -1))); // off by one
      else if (how === 1 && x instanceof Float32Array)
        args[i] = args.find((y) => y instanceof Float32Array && y !== x && y.length === x.length) ?? x; // alias
      else args[i] = junkArg;
      return args;
    });
};

const describeArg = (a: unknown): string =>
  a instanceof Float32Array
    ? `f32(len ${a.length}, offset ${a.byteOffset / 4})`
    : ArrayBuffer.isView(a)
      ? `${a.constructor.name}.of(${Array.from(a as unknown as ArrayLike<number>).join(', ')})`
      : typeof a === 'bigint'
        ? `${a}n`
        : typeof a === 'string'
          ? JSON.stringify(a)
          : Array.isArray(a)
            ? JSON.stringify(a)
            : String(a);

let cases = 0;
let returned = 0;
afterAll(() => {
  if (process.env.FUZZ_RUNS || COLLECT) console.log(`bindings.fuzz: ${cases} cases, ${returned} returned`);
  if (COLLECT) for (const [k, v] of collected) console.log(`FINDING ${k}\n  ${v}`);
});

describe.skipIf(!nativeLoaded)('fuzz: native bindings return or throw an Error naming themselves', () => {
  const a = addon as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, kinds] of FUZZED) {
    const arb = VALID[name]
      ? fc.oneof(argList(kinds.length), typedList(kinds), mutated(name), mutated(name))
      : fc.oneof(argList(kinds.length), typedList(kinds));
    // A binding declared in addon-types.ts but missing from a stale build: test/native/surface.test.ts reports that.
    it.skipIf(typeof a?.[name] !== 'function')(name, () => {
      fc.assert(
        fc.property(arb, (args) => {
          cases++;
          try {
            a[name](...args);
            returned++;
          } catch (e) {
            if (!(e instanceof Error) || !e.message.startsWith(`${name}: `))
              finding(
                `${name}: ${String(e).replace(/\d+/g, 'N')}`,
                `${name}(${args.map(describeArg).join(', ')}) threw ${String(e)}`,
              );
          }
        }),
        { seed: SEED, numRuns: runs(300) },
      );
    });
  }
});
