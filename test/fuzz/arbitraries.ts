// Shared fast-check arbitraries and the outcome check for the fuzz suites (test/fuzz/*.fuzz.test.ts).
import fc from 'fast-check';
import { TensileError } from '../../lib/errors.js';
import { Tensor, tensor } from '../../lib/tensor/index.js';

/** Cases per property: small by default (CI), FUZZ_RUNS for the long run (`npm run fuzz`). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 0;
export const runs = (ci: number): number => (RUNS > 0 ? RUNS : ci);
/** A fixed seed (FUZZ_SEED overrides) so that a CI failure reproduces. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
/** How many cases all properties ran, for the report. */
export const counter = { cases: 0 };

export const sizeOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** A dimension: mostly 1–3, sometimes 0 or 4. */
export const dim = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 6 }, { arbitrary: fc.constantFrom(0, 4), weight: 1 });
/** A shape of rank 0–5 with at most `maxSize` elements (so kernels stay fast). */
export const shapeArb = (minRank = 0, maxRank = 5, maxSize = 256): fc.Arbitrary<number[]> =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank }).filter((s) => sizeOf(s) <= maxSize);

export const SPECIALS = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-40, 3e38, -3e38, 1, -1] as const;
/** Values: mostly normal, a fifth special (NaN, ±Infinity, −0, subnormals, ±3e38). `large` replaces ±3e38 for accumulating ops. */
export const valueArb = (large = 3e38): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.double({ min: -5, max: 5, noNaN: true }), weight: 4 },
    { arbitrary: fc.constantFrom(...SPECIALS.map((v) => (Math.abs(v) === 3e38 ? Math.sign(v) * large : v))), weight: 1 },
  );
export const tensorOf = (shape: readonly number[], large?: number): fc.Arbitrary<Tensor> =>
  fc.array(valueArb(large), { minLength: sizeOf(shape), maxLength: sizeOf(shape) }).map((v) => tensor(Float32Array.from(v), shape));
export const tensorArb = (minRank = 0, maxRank = 5, large?: number): fc.Arbitrary<Tensor> =>
  shapeArb(minRank, maxRank).chain((s) => tensorOf(s, large));

/** Things that are not tensors. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, {}, 'abc', '', '1', true, 1n, Symbol('s'), () => 1, [[1, 2], [3]], [[1], 'x'], [NaN, undefined]),
  fc.constantFrom(Float64Array.of(1, 2), Int32Array.of(1, 2), new Uint8Array(3), new Float32Array(2), new ArrayBuffer(8), new Map()),
  fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.constant(null), fc.constant(undefined), fc.object({ maxDepth: 0 })), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
/** A tensor argument: usually a tensor, sometimes a number or nested arrays, rarely junk. */
export const tensorArg = (t: fc.Arbitrary<Tensor>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: t, weight: 12 },
    { arbitrary: fc.double({ min: -5, max: 5, noNaN: true }), weight: 1 },
    { arbitrary: fc.array(fc.array(fc.double({ min: -5, max: 5 }), { minLength: 2, maxLength: 2 }), { maxLength: 3 }), weight: 1 },
    { arbitrary: junk, weight: 2 },
  );
/** An integer axis or size, usually in range, sometimes negative, fractional, NaN, huge or not a number. */
export const intArb = (lo: number, hi: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.integer({ min: lo, max: hi }), weight: 12 },
    { arbitrary: fc.constantFrom(0.5, -1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 2 ** 60, -(2 ** 40), '1', null, undefined, true, [1]), weight: 2 },
  );

export type Outcome =
  | { kind: 'ok'; value: unknown }
  | { kind: 'tensile'; error: TensileError }
  /** Anything else thrown: a finding unless it matches a known one. */
  | { kind: 'other'; error: unknown };

/** Run fn and classify how it ended. */
export function attempt(fn: () => unknown): Outcome {
  try {
    return { kind: 'ok', value: fn() };
  } catch (e) {
    return e instanceof TensileError ? { kind: 'tensile', error: e } : { kind: 'other', error: e };
  }
}
export const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * FUZZ_COLLECT=1: log every distinct unexpected failure (by message) instead of stopping at the first,
 * to survey findings; the properties then pass.
 */
export const COLLECT = process.env.FUZZ_COLLECT === '1';
export const collected = new Map<string, string>();
export function finding(key: string, example: string): void {
  if (!COLLECT) throw new Error(example);
  if (!collected.has(key)) collected.set(key, example);
}

/** Bytes of every Tensor (and typed array) among args, deep in arrays, to check later that none changed. */
export function snapshotArgs(args: readonly unknown[]): { target: ArrayBufferView; bytes: Uint8Array }[] {
  const out: { target: ArrayBufferView; bytes: Uint8Array }[] = [];
  const visit = (a: unknown, depth: number): void => {
    if (a instanceof Tensor) visit(a.data, depth);
    else if (ArrayBuffer.isView(a) && !(a instanceof DataView))
      out.push({ target: a, bytes: new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice() });
    else if (Array.isArray(a) && depth < 3) a.forEach((x) => visit(x, depth + 1));
  };
  args.forEach((a) => visit(a, 0));
  return out;
}
export function checkUnchanged(label: string, snap: ReturnType<typeof snapshotArgs>): void {
  for (const { target, bytes } of snap) {
    const now = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    if (now.length !== bytes.length || now.some((v, i) => v !== bytes[i])) throw new Error(`${label} mutated an input`);
  }
}

/** |a − b| ≤ atol + rtol·|b|, NaN matching NaN, ±Infinity exactly; returns a description of the first mismatch. */
export function mismatch(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < b.length; i++) {
    const x = a[i], y = b[i];
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) return `element ${i}: ${x} vs ${y}`;
    } else if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return `element ${i}: ${x} vs ${y}`;
  }
  return null;
}

/** A short rendering of arguments for failure messages. */
export function show(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (a instanceof Tensor) return `tensor([${Array.from(a.data).join(', ')}], [${a.shape.join(', ')}])`;
      if (ArrayBuffer.isView(a)) return `${a.constructor.name}.of(${Array.from(a as unknown as ArrayLike<number>).join(', ')})`;
      try {
        return fc.stringify(a);
      } catch {
        return String(a);
      }
    })
    .join(', ');
}
