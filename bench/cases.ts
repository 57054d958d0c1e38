// The workloads of BENCH.md as cases: what each contender runs once per repetition, with every size
// as a parameter (so the Python peers read the same numbers), and the figures a run reports.
import type { WorkloadId } from '../lib/cli/bench.js';

export interface Figure {
  /** e.g. 'fit', 'per step', 'n=1024'. */
  label: string;
  unit: string;
  /** Which way is faster: ratios are written so that > 1 means tensile is faster. */
  better: 'higher' | 'lower';
}

/** One thing a contender runs per repetition; a run answers one value per figure. */
export interface CaseSpec {
  /** Unique: 'W1', 'W3/1024', 'W6/1'. */
  id: string;
  workload: WorkloadId;
  figures: Figure[];
  /** Sizes and budgets; every contender reads the same ones. */
  params: Record<string, number>;
}

const W2_MODEL = { inputs: 784, hidden1: 512, hidden2: 256, classes: 10 };

/** W3's sizes: BENCH.md's, or TENSILE_BENCH_W3_SIZES (e.g. '8192' for the GPU figure). */
function w3Sizes(): number[] {
  const env = process.env.TENSILE_BENCH_W3_SIZES;
  const sizes = env ? env.split(',').map(Number) : [256, 512, 1024, 2048];
  if (!sizes.every((n) => Number.isInteger(n) && n > 0))
    throw new Error(`TENSILE_BENCH_W3_SIZES=${env}: expected positive integers separated by commas`);
  return sizes;
}

/**
 * Training throughput workloads (W2, W4, W5) time `steps` optimizer steps per repetition: all of an epoch
 * (maxSteps batches) when that fits in budgetMs, else as many whole batches as fit (at least one), chosen
 * by each contender from a timed warm-up step. The figure is samples per second either way.
 */
export function casesFor(workloads: readonly WorkloadId[], quick: boolean): CaseSpec[] {
  const out: CaseSpec[] = [];
  const q = <T>(full: T, tiny: T): T => (quick ? tiny : full);
  const samplesPerSec: Figure[] = [{ label: 'train', unit: 'samples/s', better: 'higher' }];
  for (const w of workloads) {
    switch (w) {
      case 'W1':
        out.push({
          id: 'W1',
          workload: w,
          figures: [
            { label: 'fit', unit: 'ms', better: 'lower' },
            { label: 'per step', unit: 'µs/step', better: 'lower' },
          ],
          params: {
            samples: q(1000, 200),
            features: 10,
            hidden: 10,
            classes: 2,
            epochs: q(100, 2),
            batch: 32,
            lr: 1e-3,
          },
        });
        break;
      case 'W7':
        // The seed model (W1's data and settings) with one change each: speed must come from the engine.
        for (const variant of ['dropout', 'batchnorm'])
          out.push({
            id: `W7/${variant}`,
            workload: w,
            figures: [
              { label: `${variant} fit`, unit: 'ms', better: 'lower' },
              { label: `${variant} per step`, unit: 'µs/step', better: 'lower' },
            ],
            params: {
              samples: q(1000, 200),
              features: 10,
              hidden: 10,
              classes: 2,
              epochs: q(100, 2),
              batch: 32,
              lr: 1e-3,
              dropout: variant === 'dropout' ? 0.2 : 0,
              batchNorm: variant === 'batchnorm' ? 1 : 0,
            },
          });
        break;
      case 'W2':
        out.push({
          id: 'W2',
          workload: w,
          figures: samplesPerSec,
          params: { ...W2_MODEL, batch: 128, maxSteps: q(64, 2), budgetMs: q(1500, 50), lr: 1e-3 },
        });
        break;
      case 'W3':
        for (const n of q(w3Sizes(), [32, 64]))
          out.push({
            id: `W3/${n}`,
            workload: w,
            figures: [{ label: `n=${n}`, unit: 'GFLOP/s', better: 'higher' }],
            params: { n, budgetMs: q(300, 10) },
          });
        break;
      case 'W4':
        out.push({
          id: 'W4',
          workload: w,
          figures: samplesPerSec,
          params: {
            height: 28,
            width: 28,
            filters1: 32,
            filters2: 64,
            kernel: 3,
            dense: 128,
            classes: 10,
            batch: q(64, 8),
            maxSteps: q(32, 1),
            budgetMs: q(1500, 50),
            lr: 1e-3,
          },
        });
        break;
      case 'W5':
        out.push({
          id: 'W5',
          workload: w,
          figures: samplesPerSec,
          params: {
            timesteps: q(32, 4),
            features: 32,
            units: q(128, 16),
            classes: 10,
            batch: q(64, 8),
            maxSteps: q(32, 1),
            budgetMs: q(1500, 50),
            lr: 1e-3,
          },
        });
        break;
      case 'W6':
        out.push({
          id: 'W6/1',
          workload: w,
          figures: [{ label: 'predict 1', unit: 'µs/call', better: 'lower' }],
          params: { ...W2_MODEL, calls: q(2000, 50) },
        });
        out.push({
          id: 'W6/256',
          workload: w,
          figures: [{ label: 'predict 256', unit: 'samples/s', better: 'higher' }],
          params: { ...W2_MODEL, batch: q(256, 16), budgetMs: q(300, 10) },
        });
        break;
      case 'W8':
        out.push({
          id: 'W8',
          workload: w,
          figures: samplesPerSec,
          params: {
            seq: q(32, 4),
            dModel: q(64, 8),
            heads: q(4, 2),
            ffn: q(128, 16),
            classes: 10,
            batch: q(32, 4),
            maxSteps: q(32, 1),
            budgetMs: q(1500, 50),
            lr: 1e-3,
          },
        });
        break;
    }
  }
  return out;
}

/** Optimizer steps per timed repetition, from the time of one warm step. */
export function stepsFor(msPerStep: number, p: Record<string, number>): number {
  return Math.max(1, Math.min(p.maxSteps, Math.floor(p.budgetMs / Math.max(msPerStep, 1e-3))));
}

/** Calls per timed repetition of a short call, so one repetition lasts about budgetMs. */
export function callsFor(msPerCall: number, budgetMs: number): number {
  return Math.max(1, Math.min(1e6, Math.round(budgetMs / Math.max(msPerCall, 1e-4))));
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
