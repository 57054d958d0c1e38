import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TensileError } from '../errors.js';
import { readScalars } from '../models/event-file.js';
import type { Curves } from './curves-svg.js';

/** The newest event file of a folder, or null. */
function newestEventFile(dir: string): string | null {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return null;
  const files = readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.'));
  if (!files.length) return null;
  return join(
    dir,
    files.sort((a, b) => statSync(join(dir, a)).mtimeMs - statSync(join(dir, b)).mtimeMs || a.localeCompare(b)).at(-1)!,
  );
}

/**
 * The epoch curves of a TensorBoard log folder as written by tl.callbacks.tensorBoard or Keras: `epoch_<name>`
 * scalars of train/ as `<name>`, of validation/ as `val_<name>`, from the newest event file of each, on the
 * epochs (1-based) that either has. A missing value is NaN.
 */
export function readLogdir(logdir: string): {
  /** Values by name, one per epoch. */
  curves: Curves;
  /** The epochs, 1-based. */
  steps: number[];
} {
  const runs: [string, string][] = [
    ['train', ''],
    ['validation', 'val_'],
  ];
  const byName = new Map<string, Map<number, number>>();
  let found = false;
  for (const [run, prefix] of runs) {
    const file = newestEventFile(join(logdir, run));
    if (!file) continue;
    found = true;
    for (const s of readScalars(file, readFileSync(file))) {
      if (!s.tag.startsWith('epoch_')) continue;
      const name = prefix + s.tag.slice(6);
      if (!byName.has(name)) byName.set(name, new Map());
      byName.get(name)!.set(s.step, s.value);
    }
  }
  if (!found)
    throw new TensileError(
      'plot',
      `${logdir} has no train/ or validation/ folder with an event file (events.out.tfevents.*); give the logdir of tl.callbacks.tensorBoard`,
    );
  if (!byName.size) throw new TensileError('plot', `${logdir}: the event files hold no epoch_ scalars`);
  const epochs = [...new Set([...byName.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const curves: Curves = {};
  for (const [name, m] of byName) curves[name] = epochs.map((e) => m.get(e) ?? Number.NaN);
  return { curves, steps: epochs.map((e) => e + 1) };
}
