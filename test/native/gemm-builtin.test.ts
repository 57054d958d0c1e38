// The built-in GEMM, checked against a double-accumulating loop for each ISA variant this CPU runs, on one
// thread and on several (the results must not depend on the thread count). It is tested in the build
// without OpenBLAS when there is one:
//   npx cmake-js compile -O build-builtin --CDTENSILE_OPENBLAS=OFF
// and else in the loaded addon with TENSILE_GEMM=builtin (an OpenBLAS build carries the built-in kernel too).
// The variant is chosen once, when the addon loads (TENSILE_GEMM_ISA caps it), so each variant runs in a
// child process; a build without OpenBLAS also runs it in this process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NativeAddon } from '../../lib/backend/native/addon-types.js';
import { addon as loaded } from '../helpers/backends.js';
import { expectAllClose } from '../helpers/close.js';
import { randomArray, rng } from '../helpers/random.js';

const BUILTIN_BUILD = fileURLToPath(new URL('../../build-builtin/Release/tensile.node', import.meta.url));
/** The addon under test and how it was found: the build without OpenBLAS, else the loaded addon's file. */
const ADDON = existsSync(BUILTIN_BUILD) ? BUILTIN_BUILD : loaded ? loadedFile() : '';
const built = ADDON !== '';
const ISAS = ['generic', 'avx2', 'avx512'] as const;

function loadedFile(): string {
  const fromEnv = process.env.TENSILE_ADDON_PATH;
  if (fromEnv) return resolve(fromEnv);
  const gyp = createRequire(import.meta.url)('node-gyp-build') as { resolve(dir: string): string };
  return gyp.resolve(fileURLToPath(new URL('../..', import.meta.url)));
}

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  a: Float32Array;
  b: Float32Array;
  c: Float32Array;
}

// Around the register tiles (generic 4×8, avx2 6×16, avx512 14×32) and past each cache block
// (KC = 384, NC = 384, MC = 4080 / 4088), plus ones, shapes split over threads, and a few random shapes.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 1, 7],
  [1, 37, 1],
  [29, 1, 3],
  [2, 3, 4],
  [4, 8, 9],
  [6, 16, 8],
  [14, 32, 5],
  [7, 17, 13],
  [15, 33, 3],
  [13, 31, 20],
  [12, 48, 11],
  [5, 400, 9],
  [9, 20, 800],
  [4100, 3, 2],
  [37, 70, 390],
  [64, 64, 64],
  [100, 1, 100],
  [1, 100, 100],
  // Split over threads (m·n·k >= 2^20): by columns, by rows, with edge tiles at the seams; matrix-vector
  // products long enough to split (length·k >= 2^15), and a dot product.
  [130, 301, 40],
  [700, 50, 37],
  [96, 2048, 8],
  [1, 3000, 40],
  [2100, 1, 33],
  [1, 333, 200],
  [1, 1, 5000],
  // Split by rows into runs of tiles of equal cost, a short last row of tiles (m % 14 = 4, 5, 2 on AVX-512).
  [256, 256, 40],
  [257, 96, 90],
  [730, 40, 50],
  // Narrow products (few columns, many rows: computed through their transpose), one past a KC block.
  [256, 10, 256],
  [300, 3, 400],
];
const r = rng(7);
for (let i = 0; i < 8; i++) SHAPES.push([1 + Math.floor(r() * 80), 1 + Math.floor(r() * 80), 1 + Math.floor(r() * 80)]);
const SCALES: [number, number][] = [
  [1, 0],
  [0.5, 1],
  [-2, 0.25],
  [1.5, 0],
  [0, 2],
];

function makeCases(): Case[] {
  const cases: Case[] = [];
  SHAPES.forEach(([m, n, k], s) => {
    [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ].forEach(([transA, transB], t) => {
      const seed = s * 16 + t * 4;
      const [alpha, beta] = SCALES[(s + t) % SCALES.length];
      const c = beta === 0 ? new Float32Array(m * n).fill(NaN) : randomArray(m * n, seed + 2); // beta 0: C never read
      cases.push({
        m,
        n,
        k,
        transA,
        transB,
        alpha,
        beta,
        a: randomArray(m * k, seed),
        b: randomArray(k * n, seed + 1),
        c,
      });
    });
  });
  // NaN and Infinity in the inputs stay in their own rows and columns (padding must not spread them).
  const a = randomArray(7 * 5, 99),
    b = randomArray(5 * 20, 98);
  a[3 * 5 + 2] = NaN;
  b[1 * 20 + 17] = Infinity;
  cases.push({
    m: 7,
    n: 20,
    k: 5,
    transA: false,
    transB: false,
    alpha: 1,
    beta: 0.5,
    a,
    b,
    c: randomArray(7 * 20, 97),
  });
  return cases;
}
const CASES = built ? makeCases() : [];

function reference({ m, n, k, transA, transB, alpha, beta, a, b, c }: Case): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++)
        acc += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = alpha * acc + (beta === 0 ? 0 : beta * c[i * n + j]);
    }
  return out;
}

const references: Float64Array[] = [];
const expected = (i: number) => (references[i] ??= reference(CASES[i]));

function check(results: Float32Array[]): void {
  expect(results.length).toBe(CASES.length);
  CASES.forEach((cs, i) => {
    const label = `m=${cs.m} n=${cs.n} k=${cs.k} transA=${cs.transA} transB=${cs.transB} alpha=${cs.alpha} beta=${cs.beta}`;
    try {
      expectAllClose(results[i], expected(i), { rtol: 1e-4, atol: 2e-6 * cs.k });
    } catch (err) {
      throw new Error(`${label}: ${(err as Error).message}`);
    }
  });
}

// In a child process: reads the cases (base64) on stdin, prints {isa, c: [base64...]}.
const CHILD = `
const addon = require(process.env.TENSILE_TEST_ADDON);
if (process.env.TENSILE_TEST_THREADS) addon.setNumThreads(Number(process.env.TENSILE_TEST_THREADS));
const f32 = (s) => { const u = Buffer.from(s, 'base64'); const f = new Float32Array(u.length / 4); new Uint8Array(f.buffer).set(u); return f; };
const b64 = (f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const c = cases.map((x) => { const out = f32(x.c); addon.gemmF32(f32(x.a), f32(x.b), out, x.m, x.n, x.k, x.transA, x.transB, x.alpha, x.beta); return b64(out); });
const info = addon.info();
process.stdout.write(JSON.stringify({ isa: info.gemmBuiltinIsa, products: info.gemmProducts, vectors: info.gemmVectors, c }));
`;
const b64 = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
const fromB64 = (s: string) => {
  const u = Buffer.from(s, 'base64');
  const f = new Float32Array(u.length / 4);
  new Uint8Array(f.buffer).set(u);
  return f;
};

interface ChildResult {
  isa: string;
  products: string;
  vectors: string;
  c: Float32Array[];
}

function runChild(isa: string | undefined, cases: Case[], threads?: number): ChildResult {
  const env: NodeJS.ProcessEnv = { ...process.env, TENSILE_TEST_ADDON: ADDON, TENSILE_GEMM: 'builtin' };
  if (isa === undefined) delete env.TENSILE_GEMM_ISA;
  else env.TENSILE_GEMM_ISA = isa;
  if (threads === undefined) delete env.TENSILE_TEST_THREADS;
  else env.TENSILE_TEST_THREADS = String(threads);
  const input = JSON.stringify(cases.map((x) => ({ ...x, a: b64(x.a), b: b64(x.b), c: b64(x.c) })));
  const res = spawnSync(process.execPath, ['-e', CHILD], { env, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`child (TENSILE_GEMM_ISA=${isa}) failed: ${res.stderr || res.error}`);
  const out = JSON.parse(res.stdout) as Omit<ChildResult, 'c'> & { c: string[] };
  return { ...out, c: out.c.map(fromB64) };
}

// The best variant this CPU runs: what the addon picks with no TENSILE_GEMM_ISA.
const best = built ? runChild(undefined, []).isa : 'generic';
const rank = (isa: string) => ISAS.indexOf(isa as (typeof ISAS)[number]);

describe.skipIf(!built)(`builtin GEMM (${ADDON.replace(/^.*\/(build[^/]*|prebuilds)\//, '$1/')})`, () => {
  it('is what TENSILE_GEMM=builtin runs, with a known ISA', () => {
    const res = runChild(undefined, []);
    expect([res.products, res.vectors]).toEqual(['builtin', 'builtin']);
    expect(ISAS).toContain(res.isa);
  });

  it.runIf(ADDON === BUILTIN_BUILD)('matches the reference in this process (the build without OpenBLAS)', () => {
    const addon = createRequire(import.meta.url)(ADDON) as NativeAddon;
    expect(addon.info().gemm).toBe('builtin');
    expect(addon.info().gemmProducts).toBe('builtin');
    check(
      CASES.map((x) => {
        const out = x.c.slice();
        addon.gemmF32(x.a, x.b, out, x.m, x.n, x.k, x.transA, x.transB, x.alpha, x.beta);
        return out;
      }),
    );
  });

  for (const isa of ISAS) {
    it.skipIf(rank(isa) > rank(best))(`matches the reference with TENSILE_GEMM_ISA=${isa}`, () => {
      const res = runChild(isa, CASES);
      expect(res.isa).toBe(isa);
      check(res.c);
    });
  }

  it('gives the same bits on 1, 2 and 3 threads', () => {
    const one = runChild(undefined, CASES, 1);
    check(one.c);
    for (const threads of [2, 3]) {
      const many = runChild(undefined, CASES, threads);
      many.c.forEach((c, i) =>
        expect(Buffer.from(c.buffer).equals(Buffer.from(one.c[i].buffer)), `case ${i}, ${threads} threads`).toBe(true),
      );
    }
  });

  it('gives a narrow product (few columns, many rows) the bits of the same columns of a wide one', () => {
    // The narrow one runs through its transpose; the wide one (B padded to 64 columns) through the usual tiles.
    const WIDE = 64;
    const cases = (
      [
        [256, 10, 256],
        [300, 3, 400],
        [150, 7, 33],
      ] as const
    ).flatMap(([m, n, k], s): Case[] => {
      const a = randomArray(m * k, 500 + s),
        b = randomArray(k * n, 600 + s);
      const bWide = new Float32Array(k * WIDE);
      for (let p = 0; p < k; p++) bWide.set(b.subarray(p * n, (p + 1) * n), p * WIDE);
      const base = { m, k, transA: false, transB: false, alpha: 1.5, beta: 0, a };
      return [
        { ...base, n, b, c: new Float32Array(m * n).fill(NaN) },
        { ...base, n: WIDE, b: bWide, c: new Float32Array(m * WIDE).fill(NaN) },
      ];
    });
    for (const isa of ISAS.filter((i) => rank(i) <= rank(best))) {
      const res = runChild(isa, cases);
      for (let s = 0; s < cases.length; s += 2) {
        const { m, n } = cases[s];
        const cols = new Float32Array(m * n);
        for (let i = 0; i < m; i++) cols.set(res.c[s + 1].subarray(i * WIDE, i * WIDE + n), i * n);
        expect(Buffer.from(res.c[s].buffer).equals(Buffer.from(cols.buffer)), `${isa}: m=${m} n=${n}`).toBe(true);
      }
    }
  });

  it('gives a small product (no packing) the bits of the same rows of a large one (tiled), every transpose and beta', () => {
    // small_product: m·n·k ≤ 32,768. The large one stacks 2,000 rows of A (its first rows the small one's): tiles.
    const BIG = 2000;
    const cases = (
      [
        [32, 10, 10],
        [32, 2, 10],
        [5, 17, 40],
        [3, 33, 300],
      ] as const
    ).flatMap(([m, n, k], s) =>
      [false, true].flatMap((transA) =>
        [false, true].flatMap((transB): Case[] => {
          const a = randomArray(BIG * k, 700 + s),
            b = randomArray(k * n, 800 + s),
            c = randomArray(BIG * n, 900 + s);
          // op(A)'s first m rows: A stored m×k, or k×m (transposed) taken from the big one's columns
          const aSmall = new Float32Array(m * k);
          for (let i = 0; i < m; i++)
            for (let p = 0; p < k; p++) aSmall[transA ? p * m + i : i * k + p] = transA ? a[p * BIG + i] : a[i * k + p];
          const beta = s % 2 ? 0.5 : 0;
          const base = { n, k, transA, transB, alpha: 1.25, beta, b };
          return [
            { ...base, m, a: aSmall, c: c.slice(0, m * n) },
            { ...base, m: BIG, a, c },
          ];
        }),
      ),
    );
    for (const isa of ISAS.filter((i) => rank(i) <= rank(best))) {
      const res = runChild(isa, cases);
      for (let s = 0; s < cases.length; s += 2) {
        const { m, n, transA, transB } = cases[s];
        const rows = res.c[s + 1].subarray(0, m * n);
        expect(
          Buffer.from(res.c[s].buffer).equals(Buffer.from(rows.slice().buffer)),
          `${isa}: ${m}×${n}×${cases[s].k} ${transA}/${transB}`,
        ).toBe(true);
      }
    }
  });

  it('caps TENSILE_GEMM_ISA at what the CPU runs, and ignores unknown values', () => {
    for (const isa of ISAS) expect(runChild(isa, []).isa).toBe(ISAS[Math.min(rank(isa), rank(best))]);
    expect(runChild('sse9', []).isa).toBe(best);
  });
});
