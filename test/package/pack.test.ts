// The published package end to end: `npm pack`, install the tarball into a fresh project with no compiler on
// PATH (npm packages from the cache where it holds them, else from the registry: a fresh npm cache lacks the
// dependencies' metadata), and the prebuild (not a source build) is what loads.
// The prebuild links OpenBLAS when the addon under test does (build/Release, or TENSILE_ADDON_PATH),
// else it is built with the built-in GEMM only: a machine without libopenblas-dev runs this too, and
// skips, saying so, only the check that OpenBLAS is inside.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addon } from '../helpers/backends.js';
import { DIST, PREBUILD, ensureBuilt, ensurePrebuild, root } from './built.js';

/** What the prebuild links: OpenBLAS when the addon under test was built with it. */
const GEMM = addon?.info().gemm === 'OpenBLAS' ? 'OpenBLAS' : 'builtin';

/** npm's own script, found on PATH, so that it can run under a PATH that holds only node and npm. */
function npmCli(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, 'npm'), constants.X_OK);
      return realpathSync(join(dir, 'npm'));
    } catch {
      // not in this folder
    }
  }
  throw new Error('npm is not on PATH');
}

/** The environment of the installing user, less what an enclosing `npm test` exports (its prefix is this repo). */
function cleanEnv(path: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // TENSILE_ADDON_PATH names the addon under test: the installed package must find its own prebuild instead.
    if (k === 'TENSILE_ADDON_PATH') continue;
    if (!/^(npm_|INIT_CWD$)/i.test(k) || /^npm_config_(cache|userconfig)$/i.test(k)) env[k] = v;
  }
  return { ...env, PATH: path, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' };
}

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('the packed package', () => {
  let tmp = '';
  beforeAll(async () => {
    await ensureBuilt('build', DIST);
    await ensurePrebuild(GEMM);
    tmp = mkdtempSync(join(tmpdir(), 'tensile-pack-'));
  }, 420_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const noOpenblas = GEMM !== 'OpenBLAS';
  it.skipIf(noOpenblas)(
    `carries OpenBLAS inside the prebuild: no BLAS or Fortran library to load${
      noOpenblas
        ? ' (skipped: the addon under test was built without OpenBLAS; install libopenblas-dev and rebuild to run it)'
        : ''
    }`,
    () => {
      const libs = execFileSync('ldd', [join(root, PREBUILD)], { encoding: 'utf8' });
      expect(libs).toMatch(/libc\.so/);
      expect(libs).not.toMatch(/openblas|libblas|gfortran/i);
    },
  );

  it('installs with no compiler and loads the prebuild', () => {
    // Pack without lifecycle scripts: `prepare` would rebuild dist/ under the other tests' feet.
    const packed = JSON.parse(
      execFileSync(process.execPath, [npmCli(), 'pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
        cwd: root,
        encoding: 'utf8',
        env: cleanEnv(process.env.PATH ?? ''),
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([...DIST, PREBUILD, 'scripts/install.cjs', 'CMakeLists.txt']));
    expect(files.filter((f) => f.startsWith('build/'))).toEqual([]);

    // PATH: node and npm, nothing else. No cc, c++, cmake or make can be found.
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync(npmCli(), join(bin, 'npm'));
    const env = cleanEnv(bin);
    const probe = 'for t in cc c++ gcc g++ clang cmake make ninja; do command -v $t && exit 1; done; exit 0';
    expect(spawnSync('/bin/sh', ['-c', probe], { env, encoding: 'utf8' }).stdout).toBe('');

    const project = join(tmp, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'tensile-pack-test', version: '0.0.0', private: true }),
    );
    const install = spawnSync(
      join(bin, 'npm'),
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts=false',
        '--foreground-scripts',
        '--script-shell=/bin/sh',
        join(tmp, packed[0].filename),
      ],
      { cwd: project, env, encoding: 'utf8' },
    );
    const log = `${install.stdout}\n${install.stderr}`;
    expect(install.status, log).toBe(0);
    expect(log).toContain('node scripts/install.cjs'); // the install script ran, and found the prebuild
    expect(log).not.toMatch(/could not build the native addon/);

    const pkgDir = join(project, 'node_modules', 'tensile');
    expect(existsSync(join(pkgDir, 'build'))).toBe(false);

    const check = `
      const tl = require('tensile');
      const dir = require('node:path').dirname(require.resolve('tensile/package.json'));
      const gyp = require('node-gyp-build'), addon = gyp(dir), c = new Float32Array(4);
      addon.gemmF32(Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8), c, 2, 2, 2, false, false, 1, 0);
      console.log(JSON.stringify({ backend: tl.getBackend(), c: [...c], gemm: addon.info().gemm, file: gyp.resolve(dir) }));`;
    const out = JSON.parse(execFileSync(join(bin, 'node'), ['-e', check], { cwd: project, env, encoding: 'utf8' })) as {
      backend: string;
      c: number[];
      gemm: string;
      file: string;
    };
    expect(out.backend).toBe('native');
    expect(out.c).toEqual([19, 22, 43, 50]);
    expect(out.gemm).toBe(GEMM);
    expect(out.file).toBe(join(realpathSync(pkgDir), PREBUILD));
  }, 120_000);
});
