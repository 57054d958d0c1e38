// Shared by the package tests: the repository root, and building dist/ or the prebuild on
// demand, one build at a time across test files (vitest runs files in parallel).
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = ['dist/index.mjs', 'dist/index.cjs', 'dist/types/index.d.ts'];
export const PREBUILD = `prebuilds/${process.platform}-${process.arch}/tensile.napi.node`;

const LOCK = join(root, '.tmp', 'package-tests.lock');
const STALE_MS = 10 * 60_000;

/** Runs `npm run <script>` unless every one of `outputs` (paths from the root) exists. */
export async function ensureBuilt(script: string, outputs: string[]): Promise<void> {
  const ready = () => outputs.every((p) => existsSync(join(root, p)));
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
    if (!ready()) execFileSync('npm', ['run', script], { cwd: root, stdio: 'pipe' });
  } finally {
    rmSync(LOCK, { force: true });
  }
}
