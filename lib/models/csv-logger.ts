import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { TensileError } from '../errors.js';
import { BaseCallback, type Logs } from './callbacks.js';

/** Options of tl.callbacks.csvLogger. */
export interface CsvLoggerOptions {
  /** Add to an existing file (its header kept) instead of replacing it. Default false. */
  append?: boolean;
  /** The field separator. Default ','. */
  separator?: string;
}

/** The first line of a file, or '' when it is empty. */
function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(statSync(path).size, 1 << 16));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split('\n')[0];
  } finally {
    closeSync(fd);
  }
}

/**
 * Write each epoch's logs as a CSV row (epoch, then the log names in sorted order), as Keras' CSVLogger; rows are
 * written through at once, so the file can be watched while training runs. Missing values are written 'NA'.
 */
export class CsvLogger extends BaseCallback {
  private fd: number | null = null;
  private keys: string[] | null = null;
  private writeHeader = true;
  private readonly separator: string;

  constructor(
    /** The file path. */
    readonly path: string,
    private readonly o: CsvLoggerOptions = {},
  ) {
    super();
    if (typeof path !== 'string' || path === '')
      throw new TensileError('callbacks.csvLogger', `path must be a file path, got ${String(path)}`);
    this.separator = o.separator ?? ',';
  }

  /** Called once before the first epoch. */
  onTrainBegin(): void {
    const append = this.o.append ?? false;
    this.writeHeader = true;
    this.keys = null;
    if (append && existsSync(this.path)) {
      const header = firstLine(this.path);
      // Keep the existing columns so that appended rows line up under them.
      if (header.trim() !== '') {
        this.writeHeader = false;
        this.keys = header.trim().split(this.separator).slice(1);
      }
    }
    this.fd = openSync(this.path, append ? 'a' : 'w');
  }

  /** Called at the end of each epoch with its logs (loss, metrics, val_*). */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.fd === null) return;
    this.keys ??= Object.keys(logs).sort();
    if (this.writeHeader) {
      writeSync(this.fd, `${['epoch', ...this.keys].join(this.separator)}\n`);
      this.writeHeader = false;
    }
    writeSync(
      this.fd,
      `${[epoch, ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))].join(this.separator)}\n`,
    );
  }

  /** Called once after the last epoch. */
  onTrainEnd(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
