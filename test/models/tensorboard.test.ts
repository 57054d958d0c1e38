// The event files are read back with decoders that share no code with the writer: @bufbuild/protobuf's wire reader
// (the writer encodes with protobufjs), a bitwise CRC32C written here (the writer uses @aws-crypto/crc32c's tables),
// and, where Python's tensorboard package is installed, TensorBoard's own EventAccumulator.
import { BinaryReader } from '@bufbuild/protobuf/wire';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tl from '../../lib/index.js';
import { histogramOf } from '../../lib/models/event-file.js';
import { blobs } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tensile-tb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit. */
function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
const masked = (c: number) => ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;

interface Value {
  tag: string;
  simpleValue?: number;
  histo?: { num: number; min: number; max: number; buckets: number[] };
}
interface Event {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: Value[];
}

function decodeHisto(bytes: Uint8Array): Value['histo'] {
  const r = new BinaryReader(bytes);
  const h = { num: 0, min: 0, max: 0, buckets: [] as number[] };
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    if (field === 1) h.min = r.double();
    else if (field === 2) h.max = r.double();
    else if (field === 3) h.num = r.double();
    else if (field === 7) {
      const packed = new BinaryReader(r.bytes());
      while (packed.pos < packed.len) h.buckets.push(packed.double());
    } else r.skip(wire);
  }
  return h;
}

/** Every record of a file: framing and both checksums checked, each Event decoded field by field (event.proto). */
function readEvents(path: string): Event[] {
  const buf = readFileSync(path);
  const events: Event[] = [];
  for (let at = 0; at < buf.length;) {
    const len = Number(buf.readBigUInt64LE(at));
    expect(buf.readUInt32LE(at + 8), 'length crc').toBe(masked(crc32c(buf.subarray(at, at + 8))));
    const data = buf.subarray(at + 12, at + 12 + len);
    expect(buf.readUInt32LE(at + 12 + len), 'data crc').toBe(masked(crc32c(data)));
    at += 16 + len;
    const e: Event = { wallTime: 0, step: 0, values: [] };
    const r = new BinaryReader(data);
    while (r.pos < r.len) {
      const [field, wire] = r.tag();
      if (field === 1) e.wallTime = r.double();
      else if (field === 2) e.step = Number(r.int64());
      else if (field === 3) e.fileVersion = r.string();
      else if (field === 5) {
        const s = new BinaryReader(r.bytes());
        while (s.pos < s.len) {
          const [sf, sw] = s.tag();
          if (sf !== 1) {
            s.skip(sw);
            continue;
          }
          const v = new BinaryReader(s.bytes());
          const value: Value = { tag: '' };
          while (v.pos < v.len) {
            const [vf, vw] = v.tag();
            if (vf === 1) value.tag = v.string();
            else if (vf === 2) value.simpleValue = v.float();
            else if (vf === 5) value.histo = decodeHisto(v.bytes());
            else v.skip(vw);
          }
          e.values.push(value);
        }
      } else r.skip(wire);
    }
    events.push(e);
  }
  return events;
}

const scalars = (events: Event[], tag: string) =>
  events.flatMap((e) =>
    e.values.filter((v) => v.tag === tag && v.simpleValue !== undefined).map((v) => [e.step, v.simpleValue!]),
  );
const onlyFile = (folder: string) => {
  const files = readdirSync(folder);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\..+\.\d+\.\d+\.v2$/);
  return join(folder, files[0]);
};

function classifier(seed: number): tl.Sequential {
  tl.setSeed(seed);
  const m = tl.sequential({
    layers: [
      tl.layers.dense({ units: 3, inputShape: [2], activation: 'relu' }),
      tl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  m.compile({
    optimizer: tl.optimizers.sgd({ learningRate: 0.05 }),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

describe('callbacks.tensorBoard', () => {
  it('the CRC32C of this test is the standard one', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  const logdir = join(dir, 'run');
  let history: tl.History;
  it('writes train/ and validation/ event files whose scalars are the History', async () => {
    const { x, y } = blobs(40, 3);
    history = await classifier(1).fit(x, y, {
      epochs: 3,
      batchSize: 10,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [tl.callbacks.tensorBoard(logdir, { updateFreq: 'batch', histogramFreq: 2 })],
    });
    const train = readEvents(onlyFile(join(logdir, 'train')));
    const val = readEvents(onlyFile(join(logdir, 'validation')));
    expect(train[0].fileVersion).toBe('brain.Event:2');
    expect(val[0].fileVersion).toBe('brain.Event:2');
    const f32 = (v: number[]) => v.map((a) => Math.fround(a));
    expect(scalars(train, 'epoch_loss')).toEqual(f32(history.history.loss).map((v, i) => [i, v]));
    expect(scalars(train, 'epoch_accuracy')).toEqual(f32(history.history.accuracy).map((v, i) => [i, v]));
    expect(scalars(train, 'epoch_learning_rate')).toEqual([
      [0, Math.fround(0.05)],
      [1, Math.fround(0.05)],
      [2, Math.fround(0.05)],
    ]);
    expect(scalars(val, 'epoch_loss')).toEqual(f32(history.history.val_loss).map((v, i) => [i, v]));
    expect(scalars(val, 'epoch_accuracy')).toEqual(f32(history.history.val_accuracy).map((v, i) => [i, v]));
    // 30 training samples in batches of 10: 3 batches an epoch, steps 1..9.
    expect(scalars(train, 'batch_loss').map(([s]) => s)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Histograms at epochs 0 and 2 of each weight; the kernel of the first layer has 2 x 3 values.
    const histos = train.flatMap((e) => e.values.filter((v) => v.histo).map((v) => [e.step, v.tag, v.histo!.num]));
    expect(histos).toContainEqual([0, 'dense/kernel_0', 6]);
    expect(histos).toContainEqual([2, 'dense_1/bias_0', 1]);
    expect(histos.filter(([s]) => s === 1)).toEqual([]);
    expect(train.every((e) => e.wallTime > 1.7e9)).toBe(true);
  });

  it.skipIf(spawnSync('python3', ['-c', 'import tensorboard'], { stdio: 'ignore' }).status !== 0)(
    'TensorBoard itself reads the files',
    () => {
      const script = [
        'import json, sys',
        'from tensorboard.backend.event_processing.event_accumulator import EventAccumulator',
        'out = {}',
        'for run in ("train", "validation"):',
        '    ea = EventAccumulator(sys.argv[1] + "/" + run, size_guidance={"scalars": 0, "histograms": 0}); ea.Reload()',
        '    out[run] = {t: [[e.step, e.value] for e in ea.Scalars(t)] for t in ea.Tags()["scalars"]}',
        '    out[run + "_histograms"] = sorted(ea.Tags()["histograms"])',
        'print(json.dumps(out))',
      ].join('\n');
      const out = JSON.parse(execFileSync('python3', ['-c', script, logdir], { encoding: 'utf8' }));
      expect(out.train.epoch_loss.map((p: number[]) => p[1])).toEqual(history.history.loss.map((v) => Math.fround(v)));
      expect(out.validation.epoch_accuracy.map((p: number[]) => p[1])).toEqual(
        history.history.val_accuracy.map((v) => Math.fround(v)),
      );
      expect(out.train_histograms).toEqual(['dense/bias_0', 'dense/kernel_0', 'dense_1/bias_0', 'dense_1/kernel_0']);
    },
  );

  it('updateFreq epoch writes no batch scalars; no validation folder without validation; fitDataset too', async () => {
    const { x, y } = blobs(16, 4);
    const logs = join(dir, 'epoch-only');
    const ds = tl.data
      .zip({ xs: tl.data.array(x.arraySync() as number[][]), ys: tl.data.array(y.arraySync() as number[][]) })
      .batch(8);
    await classifier(2).fitDataset(ds, {
      epochs: 2,
      verbose: 0,
      callbacks: [tl.callbacks.tensorBoard(logs, { updateFreq: 2 })],
    });
    const train = readEvents(onlyFile(join(logs, 'train')));
    expect(scalars(train, 'epoch_loss')).toHaveLength(2);
    expect(scalars(train, 'batch_loss').map(([s]) => s)).toEqual([2, 4]);
    expect(readdirSync(logs)).toEqual(['train']);
  });

  it('histograms count every value into a bucket', () => {
    const h = histogramOf(Float32Array.from([0, 1, 2, 3, 10]), 5);
    expect(h.bucket).toEqual([2, 2, 0, 0, 1]); // width 2: [0, 2) [2, 4) ... [8, 10]
    expect(h.bucketLimit).toEqual([2, 4, 6, 8, 10]);
    expect([h.min, h.max, h.num, h.sum]).toEqual([0, 10, 5, 16]);
  });

  it('bad options name the callback', () => {
    expect(() => tl.callbacks.tensorBoard('')).toThrow(/callbacks.tensorBoard: logdir/);
    expect(() => tl.callbacks.tensorBoard('x', { updateFreq: 'sometimes' as 'batch' })).toThrow(/updateFreq/);
    expect(() => tl.callbacks.tensorBoard('x', { histogramFreq: -1 })).toThrow(/histogramFreq/);
  });
});
