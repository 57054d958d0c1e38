import { optionsObject } from '../internal/names.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { TensileError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

/** One IDX file (optionally gzipped): magic 0x0000 08 <rank>, big-endian dims, then unsigned bytes. */
export function readIdx(path: string): {
  /** The dimensions. */
  shape: number[];
  /** The bytes, row-major. */
  data: Uint8Array;
} {
  const file = [path, `${path}.gz`].find(existsSync);
  if (!file) throw new TensileError('data.readIdx', `no file ${path} or ${path}.gz`);
  let buf = readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08)
    throw new TensileError(
      'data.readIdx',
      `${file} is not an IDX file of unsigned bytes (magic ${buf.subarray(0, 4).toString('hex')})`,
    );
  const rank = buf[3];
  const shape = Array.from({ length: rank }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const size = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== offset + size)
    throw new TensileError(
      'data.readIdx',
      `${file} holds ${buf.length - offset} bytes of data, expected ${size} for shape [${shape.join(', ')}]`,
    );
  return { shape, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, size) };
}

/** Options of tl.data.loadMnist. */
export interface MnistOptions {
  /** Read only the first n samples of each split. */
  limit?: number;
  /** Divide pixels by 255 (default true). */
  normalize?: boolean;
}

/** The four arrays of MNIST, as Keras' load_data. */
export interface MnistData {
  /** [n, 28, 28] pixels. */
  xTrain: Tensor;
  /** [n] integer labels 0–9. */
  yTrain: Tensor;
  /** The test images. */
  xTest: Tensor;
  /** The test labels. */
  yTest: Tensor;
}

/**
 * MNIST or Fashion-MNIST from a folder of the four standard IDX files (.gz or not), like Keras' load_data.
 * @example const { xTrain, yTrain } = tl.data.loadMnist('../shared/data/mnist', { limit: 1000 });
 */
export function loadMnist(dir: string, options: MnistOptions = {}): MnistData {
  const { limit, normalize = true } = optionsObject(
    'data.loadMnist',
    options,
    ['limit', 'normalize'],
    '{ limit: 1000 }',
  );
  const images = (name: string) => {
    const { shape, data } = readIdx(join(dir, name));
    const n = Math.min(shape[0], limit ?? Infinity);
    const size = n * shape[1] * shape[2];
    const out = new Float32Array(size);
    const scale = normalize ? 1 / 255 : 1;
    for (let i = 0; i < size; i++) out[i] = data[i] * scale;
    return new Tensor(out, [n, shape[1], shape[2]]);
  };
  const labels = (name: string) => {
    const { shape, data } = readIdx(join(dir, name));
    const n = Math.min(shape[0], limit ?? Infinity);
    return new Tensor(Float32Array.from(data.subarray(0, n)), [n]);
  };
  return {
    xTrain: images('train-images-idx3-ubyte'),
    yTrain: labels('train-labels-idx1-ubyte'),
    xTest: images('t10k-images-idx3-ubyte'),
    yTest: labels('t10k-labels-idx1-ubyte'),
  };
}
