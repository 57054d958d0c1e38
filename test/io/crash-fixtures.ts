// Shared by the crash-consistency suites: the child that saves and is killed, and what a folder then holds.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import * as tl from '../../lib/index.js';
import { distUrl } from '../reliability/dist.js';
import { readJsonFile } from './fixtures.js';

export const CHILD = fileURLToPath(new URL('./fixtures/save-child.mjs', import.meta.url));
export const run = promisify(execFile);

/** The model's weights and optimizer state as one comparable list. */
async function state(path: string): Promise<Float32Array[]> {
  const m = await tl.loadModel(path);
  const vars = m.layers.flatMap((l) => [...l.weights]);
  return [
    Float32Array.of(m.optimizer?.iterations ?? -1),
    ...vars.flatMap((v) => [v.value.dataSync(), ...(m.optimizer?.getSlots(v) ?? [])]),
  ];
}
const same = (a: Float32Array[], b: Float32Array[]) =>
  a.length === b.length &&
  a.every((x, i) =>
    Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(
      Buffer.from(b[i].buffer, b[i].byteOffset, b[i].byteLength),
    ),
  );

/** 'A', 'B' or what went wrong, for the folder <dir>/target. */
export async function which(dir: string, refs: { A: Float32Array[]; B: Float32Array[] }): Promise<string> {
  let s: Float32Array[];
  try {
    s = await state(join(dir, 'target'));
  } catch (e) {
    return `failed: ${(e as Error).message}`;
  }
  return same(s, refs.A) ? 'A' : same(s, refs.B) ? 'B' : 'a mix of A and B';
}

/** Folders with references A and B and A saved in target/, made once and copied per case. */
export async function references(
  base: string,
): Promise<{ url: string; base: string; refs: { A: Float32Array[]; B: Float32Array[] } }> {
  const url = await distUrl();
  await run(process.execPath, [CHILD, url, base, 'setup']);
  return { url, base, refs: { A: await state(join(base, 'A')), B: await state(join(base, 'B')) } };
}

/** The folder's files are model.json and what it references, nothing else. */
export function onlyReferenced(folder: string): void {
  const json = readJsonFile(join(folder, 'model.json'));
  const opt = json.userDefinedMetadata?.tensile?.optimizer as string;
  const optPaths = readJsonFile(join(folder, opt)).paths as string[];
  expect(readdirSync(folder).sort()).toEqual(['model.json', ...json.weightsManifest[0].paths, opt, ...optPaths].sort());
}
