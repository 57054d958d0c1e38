import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TensileError } from '../errors.js';
import { type OutputFile, describe } from './files.js';
import { isRecord } from './format.js';

// Replacing a saved model so that a crash at any instant (kill -9, power cut, full disk) leaves the complete old
// model or the complete new one, never an error and never a mix:
//   1. the new data files (weight shards, optimizer state) go under names the old model.json does not reference:
//      their plain names when those are free, else the same names versioned by a random token; each is synced;
//   2. the new model.json goes to a temporary name, is synced, and is renamed over the old one (atomic on POSIX);
//      the folder is synced so that the rename itself is durable;
//   3. only then are the old model's data files removed, with what crashed saves left behind.
// Until step 2 the old model.json and everything it references are untouched; after it, the new one is complete.

/** What a save writes: its model.json text and data files, built once the names are chosen. */
export interface ModelFiles {
  readonly json: string;
  readonly files: readonly OutputFile[];
}
/** A data file's name for this save: `base` itself when free in the folder, else `base` versioned. */
export type Namer = (base: string) => string;

/**
 * Test hook, for the crash-consistency tests (which run the built package in a child process and kill it there):
 * a function at globalThis[Symbol.for('tensile.replaceStep')] is called after each file operation with its name.
 */
const HOOK = Symbol.for('tensile.replaceStep');
const step = (name: string): void => (globalThis as { [HOOK]?: (step: string) => void })[HOOK]?.(name);

/** Data files tensile writes beside a model.json: shards and optimizer state, plain or versioned. */
const DATA_NAME = /^(group\d+-shard\d+of\d+|optimizer)(\.[0-9a-f]{8})?\.(bin|json)$/;
/** Temporary model.json files of saves that never reached their rename. */
const TEMP_NAME = /\.tmp-[0-9a-f]{8}$/;

/** 'group1-shard1of2.bin' → 'group1-shard1of2.<token>.bin'. */
const versioned = (base: string, token: string): string => {
  const dot = base.lastIndexOf('.');
  return dot < 0 ? `${base}.${token}` : `${base.slice(0, dot)}.${token}${base.slice(dot)}`;
};

/** The data files a model.json (text) references: its weight shards, its optimizer file and that file's own data. */
async function referencedBy(dir: string, file: string): Promise<string[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, file), 'utf8'));
  } catch {
    return []; // unreadable or not JSON: it references nothing tensile could load
  }
  if (!isRecord(json)) return [];
  const names: string[] = [];
  const manifest = json.weightsManifest;
  if (Array.isArray(manifest))
    for (const g of manifest)
      if (isRecord(g) && Array.isArray(g.paths))
        names.push(...g.paths.filter((p): p is string => typeof p === 'string'));
  const meta = json.userDefinedMetadata;
  const opt = isRecord(meta) && isRecord(meta.tensile) ? meta.tensile.optimizer : undefined;
  if (typeof opt === 'string') names.push(opt, ...(await referencedBy(dir, opt)));
  // An optimizer file lists its own data under `paths`.
  if (json.format === 'tensile-optimizer' && Array.isArray(json.paths))
    names.push(...json.paths.filter((p): p is string => typeof p === 'string'));
  return names;
}

async function syncFolder(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

async function writeSynced(path: string, data: Uint8Array | string): Promise<void> {
  const h = await open(path, 'w');
  try {
    await h.writeFile(data);
    await h.datasync();
  } finally {
    await h.close();
  }
}

/**
 * Write a model into `dir` as `jsonName` plus data files, replacing any model saved there before, crash-safely (see
 * above). `build` receives the namer for data files and returns the model.json text and the files. Returns every
 * path written, the model.json first. A failure before the model.json rename leaves the old model as it was and
 * throws a TensileError naming the folder and the cause.
 */
export async function replaceModel(
  op: string,
  dir: string,
  jsonName: string,
  build: (name: Namer) => ModelFiles,
): Promise<string[]> {
  const fail = (err: unknown, what: string): TensileError =>
    new TensileError(op, `cannot save into ${dir}: ${what}: ${describe(err)}`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw fail(err, 'cannot create the folder');
  }
  let listing: string[];
  try {
    listing = await readdir(dir);
  } catch (err) {
    throw fail(err, 'cannot list the folder');
  }
  const old = new Set(listing.includes(jsonName) ? await referencedBy(dir, jsonName) : []);
  const taken = new Set([...listing, ...old]);
  const token = randomBytes(4).toString('hex');
  const { json, files } = build((base) => (taken.has(base) ? versioned(base, token) : base));

  const temp = join(dir, `${jsonName}.tmp-${token}`);
  const written: string[] = [];
  let current = dir;
  try {
    for (const f of files) {
      const path = (current = join(dir, f.name));
      written.push(path);
      await writeSynced(path, f.data);
      step(`write ${f.name}`);
    }
    written.push((current = temp));
    await writeSynced(temp, json);
    step(`write ${jsonName} (temporary)`);
    current = join(dir, jsonName);
    await rename(temp, current);
    step(`rename ${jsonName}`);
  } catch (err) {
    await Promise.all(written.map((p) => unlink(p).catch(() => undefined)));
    const gone = await readdir(dir).then(
      () => false,
      () => true,
    );
    throw fail(err, gone ? 'the folder disappeared while saving' : `writing ${current}`);
  }
  // The new model is in place. What follows only tidies up: a crash or an error here loses nothing.
  try {
    await syncFolder(dir);
    step('sync folder');
    await removeUnreferenced(dir, old);
  } catch {
    // The folder may be read-only for deletions or already gone; the next save tidies up.
  }
  return [join(dir, jsonName), ...files.map((f) => join(dir, f.name))];
}

/**
 * Remove the replaced model's data files and what crashed saves left behind (temporary model.json files; data
 * files no model.json in the folder references), keeping every file some model.json in the folder still uses.
 */
async function removeUnreferenced(dir: string, old: ReadonlySet<string>): Promise<void> {
  const listing = await readdir(dir);
  const jsons = listing.filter((f) => f.endsWith('.json') && !DATA_NAME.test(f));
  const kept = new Set((await Promise.all(jsons.map((j) => referencedBy(dir, j)))).flat());
  for (const f of listing) {
    const leftover = TEMP_NAME.test(f) || DATA_NAME.test(f) || old.has(f);
    if (!leftover || kept.has(f)) continue;
    await unlink(join(dir, f)).catch(() => undefined);
    step(`remove ${f}`);
  }
}
