// The built package (dist/) imports both ways, by its own name, through package.json "exports".
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureBuilt, root } from './built.js';

type Report = { backend: string; error: string; version: string; resolved: string };

function run(args: string[]): Report {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' })) as Report;
}

describe('tensile from dist/', () => {
  beforeAll(() => ensureBuilt('build', DIST), 120_000);

  it('ships type declarations', () => {
    expect(existsSync(join(root, 'dist/types/index.d.ts'))).toBe(true);
  });

  it('imports as ESM and requires as CommonJS, with the same surface', () => {
    const show = (resolved: string) =>
      `console.log(JSON.stringify({ backend: tl.getBackend(), error: typeof tl.TensileError, version: tl.version(), resolved: ${resolved} }))`;
    const esm = run([
      '--input-type=module',
      '-e',
      `import * as tl from 'tensile'; ${show("import.meta.resolve('tensile')")}`,
    ]);
    const cjs = run(['-e', `const tl = require('tensile'); ${show("require.resolve('tensile')")}`]);

    expect(esm.resolved).toBe(pathToFileURL(join(root, 'dist/index.mjs')).href);
    expect(cjs.resolved).toBe(join(root, 'dist/index.cjs'));
    for (const r of [esm, cjs]) {
      expect(r.error).toBe('function');
      expect(['native', 'reference']).toContain(r.backend);
    }
    expect(cjs.backend).toBe(esm.backend);
    expect(cjs.version).toBe(esm.version);
  });
});
