// TensorBoard event files: TFRecord framing (tensorflow/core/lib/io/record_writer.cc) around Event protos
// (tensorflow/core/util/event.proto, summary.proto). Encoding is protobufjs's, the checksum @aws-crypto/crc32c's.
import { crc32c } from '@aws-crypto/crc32c';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs/light.js';
import { TensileError } from '../errors.js';

/** The subset of event.proto and summary.proto that scalars and histograms need (field numbers as there). */
const root = protobuf.Root.fromJSON({
  nested: {
    Event: {
      fields: {
        wallTime: { type: 'double', id: 1 },
        step: { type: 'int64', id: 2 },
        fileVersion: { type: 'string', id: 3 },
        summary: { type: 'Summary', id: 5 },
      },
    },
    Summary: { fields: { value: { rule: 'repeated', type: 'SummaryValue', id: 1 } } },
    SummaryValue: {
      fields: {
        tag: { type: 'string', id: 1 },
        simpleValue: { type: 'float', id: 2 },
        histo: { type: 'HistogramProto', id: 5 },
      },
    },
    HistogramProto: {
      fields: {
        min: { type: 'double', id: 1 },
        max: { type: 'double', id: 2 },
        num: { type: 'double', id: 3 },
        sum: { type: 'double', id: 4 },
        sumSquares: { type: 'double', id: 5 },
        bucketLimit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
        bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
      },
    },
  },
});
const Event = root.lookupType('Event');

/** TFRecord's masked CRC32C: rotate right by 15 and add a constant, so a CRC of data holding CRCs stays strong. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** One TFRecord: length (uint64 LE), its masked CRC, the data, the data's masked CRC. */
export function tfRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** A histogram of values in `buckets` equal-width buckets (each bucket counts values up to its limit). */
export function histogramOf(values: Float32Array, buckets = 30): Histogram {
  let min = Infinity,
    max = -Infinity,
    sum = 0,
    sumSquares = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  if (values.length === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const width = (max - min) / buckets || 1;
  const bucket = new Array<number>(buckets).fill(0);
  for (const v of values) bucket[Math.min(buckets - 1, Math.floor((v - min) / width))]++;
  const bucketLimit = bucket.map((_, i) =>
    i === buckets - 1 ? Math.max(max, min + width * buckets) : min + width * (i + 1),
  );
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}

let fileCounter = 0;

/**
 * Appends events to a new `events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2` file in a folder (created if
 * needed), as TensorFlow's summary writer names them; each event is written through at once.
 */
export class EventFileWriter {
  readonly path: string;
  private fd: number | null;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    this.path = join(dir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${fileCounter++}.v2`);
    this.fd = openSync(this.path, 'a');
    this.write({ fileVersion: 'brain.Event:2' });
  }

  private write(event: Record<string, unknown>): void {
    if (this.fd === null) return;
    writeSync(this.fd, tfRecord(Event.encode(Event.fromObject({ wallTime: Date.now() / 1000, ...event })).finish()));
  }

  /** Scalars by tag at one step, in one event. */
  scalars(step: number, values: Record<string, number>): void {
    const value = Object.entries(values).map(([tag, simpleValue]) => ({ tag, simpleValue }));
    if (value.length) this.write({ step, summary: { value } });
  }

  histogram(step: number, tag: string, values: Float32Array): void {
    this.write({ step, summary: { value: [{ tag, histo: histogramOf(values) }] } });
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export interface ScalarEvent {
  step: number;
  wallTime: number;
  tag: string;
  value: number;
}

/** The scalar values of an event file, its records' checksums checked (a torn last record, as a killed run leaves, ends the read). */
export function readScalars(path: string, contents: Buffer): ScalarEvent[] {
  const out: ScalarEvent[] = [];
  for (let at = 0; at + 12 <= contents.length;) {
    const len = Number(contents.readBigUInt64LE(at));
    if (contents.readUInt32LE(at + 8) !== maskedCrc32c(contents.subarray(at, at + 8)))
      throw new TensileError(
        'plot',
        `${path}: the record at byte ${at} has a bad length checksum; this is not a TensorBoard event file`,
      );
    if (at + 16 + len > contents.length) break;
    const data = contents.subarray(at + 12, at + 12 + len);
    if (contents.readUInt32LE(at + 12 + len) !== maskedCrc32c(data))
      throw new TensileError('plot', `${path}: the record at byte ${at} has a bad data checksum`);
    at += 16 + len;
    const e = Event.toObject(Event.decode(data), { longs: Number }) as {
      step?: number;
      wallTime?: number;
      summary?: { value?: { tag: string; simpleValue?: number }[] };
    };
    for (const v of e.summary?.value ?? [])
      if (v.simpleValue !== undefined)
        out.push({ step: e.step ?? 0, wallTime: e.wallTime ?? 0, tag: v.tag, value: v.simpleValue });
  }
  return out;
}
