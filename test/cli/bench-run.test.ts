// `tensile bench --quick` end to end: the table, the JSON schema, a peer missing. Figures are never asserted.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport, ResultRow } from '../../bench/report.js';
import { ensureBuilt } from '../package/built.js';
import { root, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tensile-bench-test-'));
const CONTENDERS = ['tensile', 'tfjs', 'tfjs-wasm', 'onnxruntime', 'torch', 'numpy'];
// --quick cases of W1, W3, W6: W1 reports two figures, W3 one per size, W6 two cases.
const FIGURES = ['W1|fit', 'W1|per step', 'W3/32|n=32', 'W3/64|n=64', 'W6/1|predict 1', 'W6/256|predict 256'];

/** Checks a report against the schema documented in bench/README.md; returns it typed. */
function checkSchema(raw: unknown, repeat: number): BenchReport {
  const r = raw as BenchReport;
  expect(r.schema).toBe('tensile-bench/1');
  expect(Number.isNaN(Date.parse(r.date))).toBe(false);
  expect(r.command).toMatch(/^tensile bench /);
  expect(r.options.repeat).toBe(repeat);
  expect(typeof r.machine.cpu).toBe('string');
  expect(r.machine.cores).toBeGreaterThan(0);
  expect(Array.isArray(r.machine.simd)).toBe(true);
  expect(typeof r.machine.loadAverage.start).toBe('number');
  expect(r.versions.node).toBe(process.version);
  for (const v of ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const)
    expect(r.env[v] === null || typeof r.env[v] === 'string').toBe(true);
  expect(typeof r.env.unsetOpenblasEnv).toBe('boolean');
  for (const c of r.contenders) {
    expect(typeof c.name).toBe('string');
    if (c.skipped) expect(c.skipped.length).toBeGreaterThan(0);
    else {
      expect(typeof c.version).toBe('string');
      expect(Number.isInteger(c.threads)).toBe(true);
      expect(r.versions[c.name]).toBe(c.version);
    }
  }
  for (const x of r.results) {
    expect(
      Object.keys(x).every((k) =>
        [
          'workload',
          'case',
          'figure',
          'contender',
          'value',
          'unit',
          'better',
          'samples',
          'ratio',
          'skipped',
          'error',
          'note',
        ].includes(k),
      ),
    ).toBe(true);
    expect(x.workload).toMatch(/^W[1-6]$/);
    expect(x.case.startsWith(x.workload)).toBe(true);
    expect(['higher', 'lower']).toContain(x.better);
    expect(typeof x.unit).toBe('string');
    if (x.value === null) {
      expect(x.samples).toEqual([]);
      expect(typeof (x.skipped ?? x.error)).toBe('string');
      expect(x.ratio).toBeUndefined();
    } else {
      expect(x.skipped).toBeUndefined();
      expect(x.samples).toHaveLength(x.note ? 1 : repeat);
      expect(x.samples.every((s) => Number.isFinite(s) && s > 0)).toBe(true);
      const sorted = [...x.samples].sort((a, b) => a - b);
      expect(x.value).toBeGreaterThanOrEqual(sorted[0]);
      expect(x.value).toBeLessThanOrEqual(sorted[sorted.length - 1]);
      const ours = r.results.find((y) => y.case === x.case && y.figure === x.figure && y.contender === 'tensile');
      if (x.contender === 'tensile' || ours?.value == null) expect(x.ratio).toBeUndefined();
      else expect(x.ratio).toBeCloseTo(x.better === 'higher' ? ours.value / x.value : x.value / ours.value, 6);
    }
  }
  return r;
}

const row = (r: BenchReport, key: string, contender: string): ResultRow | undefined =>
  r.results.find((x) => `${x.case}|${x.figure}` === key && x.contender === contender);

describe('tensile bench --quick', () => {
  it('runs W1, W3 and W6 on tensile and every peer present, prints one table and writes JSON to the schema', async () => {
    const json = join(dir, 'all.json');
    const r = await runCli(['bench', '--quick', '--workloads', 'W1,W3,W6', '--repeat', '2', '--json', json]);
    expect(r.stderr).not.toMatch(/TypeError|ReferenceError/);
    expect(r.code).toBe(0);
    const report = checkSchema(JSON.parse(readFileSync(json, 'utf8')), 2);
    expect(report.contenders.map((c) => c.name)).toEqual(CONTENDERS);
    expect(report.contenders[0].skipped).toBeUndefined(); // tensile itself always runs
    // One row per figure and contender, none lost; every one has a figure, a skip reason or an error.
    for (const key of FIGURES) for (const c of CONTENDERS) expect(row(report, key, c), `${key} ${c}`).toBeDefined();
    expect(report.results).toHaveLength(FIGURES.length * CONTENDERS.length);
    for (const key of FIGURES) expect(row(report, key, 'tensile')!.value).not.toBeNull();
    // No peer errors: each ran or was skipped with a reason.
    expect(report.results.filter((x) => x.error)).toEqual([]);
    expect(row(report, 'W1|fit', 'onnxruntime')!.skipped).toBe('inference only (W6)');

    // The table: the header, one column per contender, one line per figure.
    expect(r.stdout).toMatch(/^machine: .*, \d+ cores/m);
    expect(r.stdout).toMatch(/^env: OPENBLAS_CORETYPE /m);
    expect(r.stdout).toMatch(/^workload\s+unit\s+tensile\s+tfjs\s+tfjs-wasm\s+onnxruntime\s+torch\s+numpy$/m);
    for (const label of ['W1 fit', 'W1 per step', 'W3 n=32', 'W3 n=64', 'W6 predict 1', 'W6 predict 256'])
      expect(r.stdout).toContain(label);
    expect(r.stderr).toMatch(/bench: \[1\/5\] W1/); // progress
  }, 120_000);

  it('reports a peer whose interpreter is missing as skipped, with the reason, and still exits 0', async () => {
    const json = join(dir, 'missing.json');
    const r = await runCli(
      ['bench', '--quick', '--workloads', 'W3', '--peers', 'numpy,torch', '--repeat', '1', '--json', json],
      {
        TENSILE_BENCH_PYTHON: '/nonexistent/python3',
      },
    );
    expect(r.code).toBe(0);
    const report = checkSchema(JSON.parse(readFileSync(json, 'utf8')), 1);
    for (const name of ['numpy', 'torch']) {
      const c = report.contenders.find((x) => x.name === name)!;
      expect(c.skipped).toContain('/nonexistent/python3');
      expect(
        report.results.filter((x) => x.contender === name).every((x) => x.value === null && x.skipped === c.skipped),
      ).toBe(true);
    }
    expect(r.stdout).toMatch(/^numpy\s+-\s+-\s+skipped: .*\/nonexistent\/python3/m);
    expect(report.results.filter((x) => x.contender === 'tensile').every((x) => x.value !== null)).toBe(true);
  }, 60_000);

  it('--unset-openblas-env removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from every contender, and says so', async () => {
    const env = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '1048576' };
    const runs = await Promise.all(
      [[], ['--unset-openblas-env']].map(async (flag) => {
        const json = join(dir, `env${flag.length}.json`);
        const r = await runCli(
          ['bench', '--quick', '--workloads', 'W3', '--peers', 'none', '--repeat', '1', '--json', json, ...flag],
          env,
        );
        expect(r.code).toBe(0);
        return { stdout: r.stdout, report: checkSchema(JSON.parse(readFileSync(json, 'utf8')), 1) };
      }),
    );
    const [asSet, unset] = runs;
    expect(asSet.report.env).toEqual({
      ...{ OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '1048576' },
      unsetOpenblasEnv: false,
    });
    expect(unset.report.env.unsetOpenblasEnv).toBe(true);
    expect(unset.stdout).toContain('--unset-openblas-env: both removed for every contender');
    // tensile's own report names OPENBLAS_CORETYPE when it saw it (with the OpenBLAS build).
    const blas = asSet.report.contenders[0].blas ?? '';
    if (blas.startsWith('OpenBLAS')) {
      expect(blas).toContain('OPENBLAS_CORETYPE=Haswell');
      expect(unset.report.contenders[0].blas).not.toContain('OPENBLAS_CORETYPE');
    }
  }, 60_000);
});

describe('tensile bench from the built package', () => {
  it('bin/tensile.cjs finds the runner and contenders in dist/bench/', async () => {
    await ensureBuilt('build:ts', [
      'dist/cli.cjs',
      'dist/bench/runner.mjs',
      'dist/bench/contenders/tensile.mjs',
      'dist/bench/peers/numpy_peer.py',
    ]);
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(root, 'bin/tensile.cjs'), 'bench', '--quick', '--workloads', 'W3', '--peers', 'none', '--repeat', '1'],
        { cwd: tmpdir() },
        (err, stdout) => resolve({ code: err ? 1 : 0, stdout }),
      ),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^W3 n=32\s+GFLOP\/s\s+\S+$/m);
  }, 120_000);
});
