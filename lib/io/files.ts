import { readFile, stat } from 'node:fs/promises';
import { TensileError } from '../errors.js';
import { MAX_JSON_DEPTH, jsonDepth } from './format.js';

// Reading the files of a saved model: every failure names the file. Writing them: replace.ts.

/** A loading error: `loadModel: <file>: <problem>`. */
export const loadError = (file: string, problem: string): TensileError =>
  new TensileError('loadModel', `${file}: ${problem}`);

/** 'file://dir' (tfjs' spelling) or a plain path → a filesystem path; other schemes are refused. */
export function filePath(op: string, url: unknown): string {
  if (typeof url !== 'string' || url === '')
    throw new TensileError(op, `expected a path or a file:// URL, got ${url === '' ? 'an empty string' : typeof url}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!scheme) return url;
  if (scheme[1].toLowerCase() !== 'file')
    throw new TensileError(
      op,
      `unsupported URL scheme '${scheme[1]}://' in '${url}'; tensile reads and writes files: use file://path or a plain path`,
    );
  const path = url.slice(scheme[0].length);
  if (path === '') throw new TensileError(op, `'${url}' names no path`);
  return path;
}

/** An fs error in words: 'no such file', 'no space left on device', ... */
export function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EDQUOT') return 'disk quota exceeded';
  return (err as Error).message;
}

/** A file's bytes; `listedIn` names the model.json that refers to it, for the message. */
export async function readBytes(path: string, listedIn?: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const where = listedIn ? ` (listed in ${listedIn})` : '';
    throw loadError(path, `cannot read${where}: ${describe(err)}`);
  }
}

/** JSON text → value: malformed or too deeply nested text is a TensileError naming the file. */
export function parseJson(path: string, text: string, what = ''): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw loadError(path, `${what}is not valid JSON (${(err as Error).message})`);
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH)
    throw loadError(
      path,
      `${what}nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep; a saved model nests a few tens`,
    );
  return value;
}

/** A parsed JSON file: a missing file, malformed JSON or absurd nesting is a TensileError naming the file. */
export async function readJson(path: string, listedIn?: string): Promise<unknown> {
  const bytes = await readBytes(path, listedIn);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw loadError(path, `is not valid JSON (${(err as Error).message})`);
  }
  return parseJson(path, text);
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export interface OutputFile {
  /** File name inside the folder. */
  readonly name: string;
  readonly data: Uint8Array | string;
}
