// tfjs-examples' abalone-node, adapted only at its import (and its download: see the file's header), runs on the
// built package as a user runs it: `node train.js` in its folder, with `tensile` resolving to this repository.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from '../package/built.js';

const TFJS_DIST = ['dist/tfjs.cjs', 'dist/tfjs.mjs', 'dist/types/tfjs/index.d.ts'];
const argparse = join(root, 'node_modules/argparse'); // argparse 1.x, in the lock file

describe('examples/tfjs', () => {
  beforeAll(() => ensureBuilt('build', TFJS_DIST), 120_000);

  it.skipIf(!existsSync(argparse))(
    'abalone-node trains, saves and reloads with only its import changed',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tensile-abalone-'));
      cpSync(join(root, 'examples/tfjs/abalone-node'), dir, { recursive: true });
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(root, join(dir, 'node_modules/tensile'), 'dir');
      symlinkSync(argparse, join(dir, 'node_modules/argparse'), 'dir');
      const out = execFileSync(
        process.execPath,
        ['train.js', '--epochs', '4', '--batch_size', '250', '--savePath', `file://${join(dir, 'model')}`],
        {
          cwd: dir,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      const losses = [...out.matchAll(/Epoch (\d+)\/4 .*- loss: ([\d.]+) - val_loss: ([\d.]+)/g)].map((m) => [
        Number(m[2]),
        Number(m[3]),
      ]);
      expect(losses.length, out).toBe(4);
      // Ring counts average ~10: an untrained model's squared error is ~100; 4 epochs of SGD bring it near the variance (~10).
      expect(losses[3][0]).toBeLessThan(20);
      expect(losses[3][1]).toBeLessThan(20);
      const prediction = Number(/the inference result from the model is (\S+)/.exec(out)?.[1]);
      expect(prediction).toBeGreaterThan(5);
      expect(prediction).toBeLessThan(15);
      const saved = JSON.parse(readFileSync(join(dir, 'model/model.json'), 'utf8')) as { modelTopology: unknown };
      expect(saved.modelTopology).toBeTruthy();
    },
    60_000,
  );
});
