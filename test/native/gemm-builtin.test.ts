// The built-in GEMM (the build without OpenBLAS), checked against a double-accumulating loop for
// each ISA variant this CPU runs. Build it with:
//   npx cmake-js compile -O build-builtin --CDTENSILE_OPENBLAS=OFF
// The variant is chosen once, when the addon loads (TENSILE_GEMM_ISA caps it), so each variant
// runs in a child process; the default one also runs in this process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NativeAddon } from '../../lib/backend/native/addon-types.js';
import { expectAllClose } from '../helpers/close.js';
import { randomArray, rng } from '../helpers/random.js';

const ADDON = fileURLToPath(new URL('../../build-builtin/Release/tensile.node', import.meta.url));
const built = existsSync(ADDON);
const ISAS = ['generic', 'avx2', 'avx512'] as const;

interface Case { m: number; n: number; k: number; transA: boolean; transB: boolean; alpha: number; beta: number;
  a: Float32Array; b: Float32Array; c: Float32Array }

// Around the register tiles (generic 4×8, avx2 6×16, avx512 14×32) and past each cache block
// (KC = 384, NC = 384, MC = 4080 / 4088), plus ones, and a few random shapes.
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 1, 7], [1, 37, 1], [29, 1, 3], [2, 3, 4], [4, 8, 9], [6, 16, 8], [14, 32, 5], [7, 17, 13],
  [15, 33, 3], [13, 31, 20], [12, 48, 11], [5, 400, 9], [9, 20, 800], [4100, 3, 2], [37, 70, 390], [64, 64, 64],
  [100, 1, 100], [1, 100, 100],
];
const r = rng(7);
for (let i = 0; i < 8; i++) SHAPES.push([1 + Math.floor(r() * 80), 1 + Math.floor(r() * 80), 1 + Math.floor(r() * 80)]);
const SCALES: [number, number][] = [[1, 0], [0.5, 1], [-2, 0.25], [1.5, 0], [0, 2]];

function makeCases(): Case[] {
  const cases: Case[] = [];
  SHAPES.forEach(([m, n, k], s) => {
    [[false, false], [true, false], [false, true], [true, true]].forEach(([transA, transB], t) => {
      const seed = s * 16 + t * 4;
      const [alpha, beta] = SCALES[(s + t) % SCALES.length];
      const c = beta === 0 ? new Float32Array(m * n).fill(NaN) : randomArray(m * n, seed + 2); // beta 0: C never read
      cases.push({ m, n, k, transA, transB, alpha, beta, a: randomArray(m * k, seed), b: randomArray(k * n, seed + 1), c });
    });
  });
  // NaN and Infinity in the inputs stay in their own rows and columns (padding must not spread them).
  const a = randomArray(7 * 5, 99), b = randomArray(5 * 20, 98);
  a[3 * 5 + 2] = NaN;
  b[1 * 20 + 17] = Infinity;
  cases.push({ m: 7, n: 20, k: 5, transA: false, transB: false, alpha: 1, beta: 0.5, a, b, c: randomArray(7 * 20, 97) });
  return cases;
}
const CASES = built ? makeCases() : [];

function reference({ m, n, k, transA, transB, alpha, beta, a, b, c }: Case): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = alpha * acc + (beta === 0 ? 0 : beta * c[i * n + j]);
    }
  return out;
}

function check(results: Float32Array[]): void {
  expect(results.length).toBe(CASES.length);
  CASES.forEach((cs, i) => {
    const label = `m=${cs.m} n=${cs.n} k=${cs.k} transA=${cs.transA} transB=${cs.transB} alpha=${cs.alpha} beta=${cs.beta}`;
    try {
      expectAllClose(results[i], reference(cs), { rtol: 1e-4, atol: 2e-6 * cs.k });
    } catch (err) {
      throw new Error(`${label}: ${(err as Error).message}`);
    }
  });
}

// In a child process: reads the cases (base64) on stdin, prints {isa, c: [base64...]}.
const CHILD = `
const addon = require(process.env.TENSILE_TEST_ADDON);
const f32 = (s) => { const u = Buffer.from(s, 'base64'); const f = new Float32Array(u.length / 4); new Uint8Array(f.buffer).set(u); return f; };
const b64 = (f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const c = cases.map((x) => { const out = f32(x.c); addon.gemmF32(f32(x.a), f32(x.b), out, x.m, x.n, x.k, x.transA, x.transB, x.alpha, x.beta); return b64(out); });
process.stdout.write(JSON.stringify({ isa: addon.info().gemmCore, c }));
`;
const b64 = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
const fromB64 = (s: string) => {
  const u = Buffer.from(s, 'base64');
  const f = new Float32Array(u.length / 4);
  new Uint8Array(f.buffer).set(u);
  return f;
};

function runChild(isa: string | undefined, cases: Case[]): { isa: string; c: Float32Array[] } {
  const env: NodeJS.ProcessEnv = { ...process.env, TENSILE_TEST_ADDON: ADDON };
  if (isa === undefined) delete env.TENSILE_GEMM_ISA;
  else env.TENSILE_GEMM_ISA = isa;
  const input = JSON.stringify(cases.map((x) => ({ ...x, a: b64(x.a), b: b64(x.b), c: b64(x.c) })));
  const res = spawnSync(process.execPath, ['-e', CHILD], { env, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`child (TENSILE_GEMM_ISA=${isa}) failed: ${res.stderr || res.error}`);
  const out = JSON.parse(res.stdout) as { isa: string; c: string[] };
  return { isa: out.isa, c: out.c.map(fromB64) };
}

// The best variant this CPU runs: what the addon picks with no TENSILE_GEMM_ISA.
const best = built ? runChild(undefined, []).isa : 'generic';
const rank = (isa: string) => ISAS.indexOf(isa as (typeof ISAS)[number]);

describe.skipIf(!built)('builtin GEMM (build-builtin/Release/tensile.node)', () => {
  it('reports the builtin GEMM and a known ISA', () => {
    const addon = createRequire(import.meta.url)(ADDON) as NativeAddon;
    expect(addon.info().gemm).toBe('builtin');
    expect(ISAS).toContain(addon.info().gemmCore);
    expect(rank(addon.info().gemmCore)).toBeLessThanOrEqual(rank(best));
  });

  it('matches the reference in this process (the ISA chosen at load)', () => {
    const addon = createRequire(import.meta.url)(ADDON) as NativeAddon;
    check(CASES.map((x) => {
      const out = x.c.slice();
      addon.gemmF32(x.a, x.b, out, x.m, x.n, x.k, x.transA, x.transB, x.alpha, x.beta);
      return out;
    }));
  });

  for (const isa of ISAS) {
    it.skipIf(rank(isa) > rank(best))(`matches the reference with TENSILE_GEMM_ISA=${isa}`, () => {
      const res = runChild(isa, CASES);
      expect(res.isa).toBe(isa);
      check(res.c);
    });
  }

  it('caps TENSILE_GEMM_ISA at what the CPU runs, and ignores unknown values', () => {
    for (const isa of ISAS) expect(runChild(isa, []).isa).toBe(ISAS[Math.min(rank(isa), rank(best))]);
    expect(runChild('sse9', []).isa).toBe(best);
  });
});
