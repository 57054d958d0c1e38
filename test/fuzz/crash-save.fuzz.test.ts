// Saving over a model, killed at random moments: a child saves models A and B over each other in a loop and is
// killed with SIGKILL after a random delay; the folder must then load as exactly A or exactly B. The deterministic
// kill after every file operation is test/io/crash-safety.test.ts; this adds random timing (more under npm run fuzz).
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHILD, onlyReferenced, references, which } from '../io/crash-fixtures.js';
import { tempDirs } from '../io/fixtures.js';
import { rng } from '../helpers/random.js';
import { join } from 'node:path';

const tmp = tempDirs();
const KILLS = Math.max(8, Math.floor(Number(process.env.FUZZ_RUNS ?? 0) / 50));

/** Start the saving loop, wait until it saves, kill it `delayMs` later. */
function killLoopAfter(url: string, dir: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, url, dir, 'loop'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`the saving loop ended by itself (${String(_code)})`)),
    );
  });
}

describe('saving over a model, killed at random moments', () => {
  it(`loads as exactly the old or the new model after each of ${KILLS} kills`, async () => {
    const ctx = await references(tmp());
    const dir = tmp();
    cpSync(ctx.base, dir, { recursive: true });
    const r = rng(Number(process.env.FUZZ_SEED ?? 7));
    const counts: Record<string, number> = { A: 0, B: 0 };
    for (let i = 0; i < KILLS; i++) {
      await killLoopAfter(ctx.url, dir, 20 + Math.floor(r() * 1500));
      const outcome = await which(dir, ctx.refs);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      expect(['A', 'B'], `kill ${i + 1}`).toContain(outcome);
    }
    console.log(`random kills: ${JSON.stringify(counts)}`);
    // The last crash's leftovers go with the next complete save.
    const { spawnSync } = await import('node:child_process');
    expect(spawnSync(process.execPath, [CHILD, ctx.url, dir, 'kill-at', '0']).status).toBe(0);
    onlyReferenced(join(dir, 'target'));
  }, 600_000);
});
