// Shared by the package tests: the repository root, and building dist/ or the prebuild on
// demand, one build at a time across test files (vitest runs files in parallel).
// The prebuild carries OpenBLAS where the addon under test does (OpenBLAS was found at build time), else
// it is built with the built-in GEMM only (`npm run build:prebuild -- --builtin`), so the package tests
// run on a machine without libopenblas-dev too.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = ['dist/index.mjs', 'dist/index.cjs', 'dist/types/index.d.ts'];
export const PREBUILD = `prebuilds/${process.platform}-${process.arch}/tensile.napi.node`;

/** The GEMM library a .node file links ('OpenBLAS' or 'builtin'), asked in a child (a loaded addon cannot be reloaded). */
export function gemmOf(file: string): string {
  return execFileSync(process.execPath, ['-p', `require(${JSON.stringify(file)}).info().gemm`], {
    encoding: 'utf8',
  }).trim();
}

/** Builds the prebuild with OpenBLAS or with the built-in GEMM only, unless the one there already is that kind. */
export async function ensurePrebuild(gemm: 'OpenBLAS' | 'builtin'): Promise<void> {
  const file = join(root, PREBUILD);
  await ensureBuilt('build:prebuild', [PREBUILD], gemm === 'builtin' ? ['--builtin'] : [], () => gemmOf(file) === gemm);
}

const LOCK = join(root, '.tmp', 'package-tests.lock');
const STALE_MS = 10 * 60_000;

/**
 * Runs `npm run <script> -- <args>` unless every one of `outputs` (paths from the root) exists and
 * `current` (when given) accepts what is there.
 */
export async function ensureBuilt(
  script: string,
  outputs: string[],
  args: string[] = [],
  current?: () => boolean,
): Promise<void> {
  const ready = () => outputs.every((p) => existsSync(join(root, p))) && (current?.() ?? true);
  if (ready()) return;
  mkdirSync(join(root, '.tmp'), { recursive: true });
  for (;;) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_MS) rmSync(LOCK, { force: true }); // left by a killed run
      await sleep(250);
    }
  }
  try {
    if (!ready())
      execFileSync('npm', ['run', script, ...(args.length ? ['--', ...args] : [])], { cwd: root, stdio: 'pipe' });
  } finally {
    rmSync(LOCK, { force: true });
  }
}
