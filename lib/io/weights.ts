import { join, normalize, isAbsolute, basename } from 'node:path';
import { sizeOf } from '../tensor/shape.js';
import { type OutputFile, loadError, readBytes } from './files.js';
import { SHARD_BYTES, type WeightGroup, type WeightSpec, isRecord, show } from './format.js';

// Weight shards: float32 values of every weight, concatenated in manifest order, little-endian,
// cut into files of at most 4 MiB (a weight may straddle two shards), as tfjs writes them.

export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** One manifest group and its shard files (group1-shard1of2.bin, ..., each name passed through `name`) for a list of weights. */
export function encodeWeights(
  weights: readonly NamedWeight[],
  name: (base: string) => string = (b) => b,
  shardBytes = SHARD_BYTES,
): { manifest: WeightGroup[]; shards: OutputFile[] } {
  const total = weights.reduce((n, w) => n + w.values.length * 4, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const w of weights) {
    all.set(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength), at);
    at += w.values.byteLength;
  }
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const shards = Array.from({ length: count }, (_, i) => ({
    name: name(`group1-shard${i + 1}of${count}.bin`),
    data: all.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)),
  }));
  const specs = weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: 'float32' }));
  return { manifest: [{ paths: shards.map((s) => s.name), weights: specs }], shards };
}

/** Bytes per stored value: float32, or the converter's quantized forms. */
function bytesPerValue(spec: WeightSpec): number | undefined {
  if (spec.quantization)
    return ({ uint8: 1, uint16: 2, float16: 2 } as Record<string, number>)[spec.quantization.dtype];
  return spec.dtype === 'float32' ? 4 : undefined;
}

function checkSpec(v: unknown, where: string): WeightSpec {
  if (!isRecord(v) || typeof v.name !== 'string') throw new Error(`${where} has no name: ${show(v)}`);
  if (!Array.isArray(v.shape) || !v.shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new Error(`weight '${v.name}' has an invalid shape ${show(v.shape)}`);
  if (v.quantization !== undefined && (!isRecord(v.quantization) || typeof v.quantization.dtype !== 'string'))
    throw new Error(`weight '${v.name}' has an invalid quantization ${show(v.quantization)}`);
  const spec = v as unknown as WeightSpec;
  if (spec.dtype !== 'float32' || bytesPerValue(spec) === undefined) {
    const what = spec.quantization ? `quantization dtype '${spec.quantization.dtype}'` : `dtype ${show(spec.dtype)}`;
    throw new Error(
      `weight '${spec.name}' has ${what}; tensile loads float32 weights (and the converter's uint8, uint16 and float16 quantization)`,
    );
  }
  return spec;
}

/** IEEE half → float. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * A weight's values from its stored bytes. Plain float32 on a little-endian machine is a view of the shard's
 * bytes, not a copy: loadModel copies it into the model's weight at once, and a second megabyte-sized buffer
 * per weight would only add to what the allocator has to recycle (see scripts/soak.mjs).
 */
function decode(spec: WeightSpec, bytes: Uint8Array): Float32Array {
  const n = sizeOf(spec.shape);
  const q = spec.quantization;
  if (!q && LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  if (!q) for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  else if (q.dtype === 'float16') for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  else {
    const [scale, min] = [q.scale ?? 1, q.min ?? 0];
    for (let i = 0; i < n; i++) out[i] = (q.dtype === 'uint8' ? bytes[i] : view.getUint16(2 * i, true)) * scale + min;
  }
  return out;
}

/** A shard path from the manifest, resolved beside model.json; paths leaving that folder are refused. */
function shardPath(dir: string, p: unknown, file: string): string {
  if (typeof p !== 'string' || p === '')
    throw loadError(file, `weightsManifest lists a shard path that is not a file name: ${show(p)}`);
  const rel = normalize(p);
  if (isAbsolute(rel) || rel.startsWith('..'))
    throw loadError(file, `weightsManifest lists '${p}', outside the model's folder`);
  return join(dir, rel);
}

/**
 * Every weight of a manifest, read from the shards beside model.json and checked against the byte
 * counts the manifest implies; names lose a trailing ':0'. Nothing is returned unless all is well.
 */
export async function readWeights(manifest: unknown, dir: string, file: string): Promise<Map<string, NamedWeight>> {
  const out = new Map<string, NamedWeight>();
  if (manifest === undefined || manifest === null) return out;
  if (!Array.isArray(manifest))
    throw loadError(file, `weightsManifest must be a list of groups, got ${show(manifest)}`);
  for (const [g, group] of manifest.entries()) {
    const where = `weightsManifest group ${g + 1}`;
    if (!isRecord(group) || !Array.isArray(group.paths) || group.paths.length === 0 || !Array.isArray(group.weights))
      throw loadError(file, `${where} must be {paths: [...], weights: [...]}, got ${show(group)}`);
    let specs: WeightSpec[];
    try {
      specs = group.weights.map((w, i) => checkSpec(w, `${where} weight ${i + 1}`));
    } catch (e) {
      throw loadError(file, `${where}: ${(e as Error).message}`);
    }
    const paths = group.paths.map((p) => shardPath(dir, p, file));
    const shards = await Promise.all(paths.map((p) => readBytes(p, file)));
    const need = specs.reduce((n, s) => n + sizeOf(s.shape) * bytesPerValue(s)!, 0);
    const have = shards.reduce((n, s) => n + s.length, 0);
    if (have !== need) {
      const sizes = paths.map((p, i) => `${basename(p)}: ${shards[i].length} bytes`).join(', ');
      const what =
        have < need ? 'a shard is truncated or missing data' : 'the shards hold more bytes than the manifest describes';
      throw loadError(
        paths[paths.length - 1],
        `${what}: the weights of ${where} in ${file} need ${need} bytes, the shards hold ${have} (${sizes})`,
      );
    }
    const all = shards.length === 1 ? shards[0] : Buffer.concat(shards);
    let at = 0;
    for (const spec of specs) {
      const len = sizeOf(spec.shape) * bytesPerValue(spec)!;
      const name = spec.name.replace(/:0$/, '');
      if (out.has(name)) throw loadError(file, `weightsManifest names the weight '${name}' twice`);
      out.set(name, { name, shape: spec.shape, values: decode(spec, all.subarray(at, at + len)) });
      at += len;
    }
  }
  return out;
}
