import type { Callback, Logs } from './callbacks.js';

/** Where progress goes; tests replace it. */
export interface Output {
  write(s: string): void;
  readonly isTTY?: boolean;
}

const WIDTH = 30;

/** Keras' number format: %.4f, or %.4e for tiny magnitudes. */
export function formatValue(v: number): string {
  return Math.abs(v) > 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

export const formatLogs = (logs: Logs): string =>
  Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${formatValue(v)}`)
    .join('');

function perStep(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/step`;
  return `${(seconds * 1e6).toFixed(0)}us/step`;
}

function eta(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600)
    return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

/** "13/32 [===========>..................]" */
export function bar(current: number, target: number): string {
  const digits = String(target).length;
  const filled = Math.floor((WIDTH * current) / target);
  const body = filled > 0 ? '='.repeat(filled - 1) + (current < target ? '>' : '=') : '';
  return `${String(current).padStart(digits)}/${target} [${body}${'.'.repeat(WIDTH - body.length)}]`;
}

/** The one-line summary of a finished run of steps, as Keras prints it. */
export function finalLine(steps: number, seconds: number, logs: Logs): string {
  return `${bar(steps, steps)} - ${seconds.toFixed(0)}s ${perStep(seconds / Math.max(steps, 1))}${formatLogs(logs)}`;
}

/**
 * Keras' progress output for fit. verbose 1: "Epoch i/n" then a live bar on a terminal; when output is not a
 * terminal (CI logs, a file), one line per epoch: "Epoch i/n" and the final bar together. verbose 2: one line per
 * epoch after its header. With the steps unknown (a dataset of unknown size), the bar counts the epoch's batches.
 */
export class ProgressLogger implements Callback {
  private epochs = 0;
  private steps = 0;
  private start = 0;
  private lastDraw = 0;
  private seen = 0;
  constructor(
    private readonly verbose: 1 | 2,
    private readonly out: Output = process.stdout,
  ) {}

  setParams(p: { epochs: number; steps: number }): void {
    this.epochs = p.epochs;
    this.steps = p.steps;
  }
  private get oneLine(): boolean {
    return this.verbose === 1 && !this.out.isTTY;
  }
  onEpochBegin(epoch: number): void {
    this.out.write(`Epoch ${epoch + 1}/${this.epochs}${this.oneLine ? ' ' : '\n'}`);
    this.start = performance.now();
    this.lastDraw = 0;
    this.seen = 0;
  }
  onBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = batch + 1;
    if (this.verbose !== 1 || !this.out.isTTY) return;
    const now = performance.now();
    const done = batch + 1;
    if (done === this.steps || now - this.lastDraw < 50) return; // redraw at most 20 times a second
    this.lastDraw = now;
    const elapsed = (now - this.start) / 1e3;
    if (!this.steps) this.out.write(`\r${done}/Unknown - ${elapsed.toFixed(0)}s${formatLogs(logs)}`);
    else
      this.out.write(
        `\r${bar(done, this.steps)} - ETA: ${eta((elapsed / done) * (this.steps - done))}${formatLogs(logs)}`,
      );
  }
  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const seconds = (performance.now() - this.start) / 1e3;
    const steps = this.steps || this.seen;
    if (this.verbose === 1) {
      this.out.write(`${this.out.isTTY ? '\r' : ''}${finalLine(steps, seconds, logs)}\n`);
    } else {
      const ms = seconds * 1e3;
      this.out.write(
        `${steps}/${steps} - ${seconds.toFixed(0)}s${formatLogs(logs)} - ${ms.toFixed(0)}ms/epoch - ${perStep(seconds / Math.max(steps, 1))}\n`,
      );
    }
  }
}
