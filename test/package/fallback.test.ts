// The loader's promise: without a loadable addon tensile still works, on the reference backend,
// and says so exactly once with the reason and the fix; TENSILE_BACKEND=reference is silent.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureBuilt, root } from './built.js';

let dir = '';
const SCRIPT = `
const tl = require('tensile');
const a = tl.matmul(tl.tensor([[1, 2], [3, 4]]), tl.tensor([[5, 6], [7, 8]]));
tl.getBackend(); tl.add(a, 1);
console.log(JSON.stringify({ backend: tl.getBackend(), product: a.arraySync() }));
`;
const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['-e', SCRIPT], {
    cwd: dir,
    env: { ...process.env, ...env, TENSILE_BACKEND: env.TENSILE_BACKEND ?? '' },
    encoding: 'utf8',
  });

beforeAll(async () => {
  await ensureBuilt('build:ts', DIST);
  // A copy of the package with dist/ but no build/ and no prebuilds/: node-gyp-build finds nothing to load.
  dir = mkdtempSync(join(tmpdir(), 'tensile-fallback-'));
  const pkg = join(dir, 'node_modules', 'tensile');
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"name":"fallback-check","private":true}');
  execFileSync(process.execPath, ['-e', 'require.resolve("tensile")'], { cwd: dir });
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('without a native build', () => {
  it('computes on the reference backend and warns once, with the reason and the fix', () => {
    const r = run({});
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      backend: 'reference',
      product: [
        [19, 22],
        [43, 50],
      ],
    });
    const warnings = r.stderr.split('\n').filter((l) => l.includes('TENSILE_NO_NATIVE'));
    expect(warnings).toHaveLength(1);
    expect(r.stderr).toMatch(/native addon did not load \(.+\)/);
    expect(r.stderr).toMatch(/npm rebuild tensile/);
  });
  it('is silent when TENSILE_BACKEND=reference asks for the reference backend', () => {
    const r = run({ TENSILE_BACKEND: 'reference' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).backend).toBe('reference');
    expect(r.stderr).not.toMatch(/TENSILE_NO_NATIVE/);
  });
  it('fails loudly when TENSILE_BACKEND=native demands the addon', () => {
    const r = run({ TENSILE_BACKEND: 'native' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/TENSILE_BACKEND=native but the native addon did not load/);
  });
});
