// `tensile bench`: parses the arguments, then hands over to the runner in bench/ (loaded at run time:
// bench/runner.ts from a source checkout, dist/bench/runner.mjs from the built CLI). The work lives there.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8'] as const;
export type WorkloadId = (typeof WORKLOADS)[number];
export const PEERS = ['tfjs', 'tfjs-wasm', 'onnxruntime', 'torch', 'numpy'] as const;
export type PeerName = (typeof PEERS)[number];

export interface BenchOptions {
  workloads: WorkloadId[];
  peers: PeerName[];
  /** Timed repetitions per contender and case (the median is reported). */
  repeat: number;
  /** Run every contender with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment. */
  unsetOpenblasEnv: boolean;
  /** Tiny sizes, for tests and CI: the figures mean nothing. */
  quick: boolean;
}

/** What the runner module (bench/runner.ts) provides. */
export interface BenchRunner {
  runBench(o: BenchOptions, progress: (line: string) => void): Promise<unknown>;
  formatReport(report: unknown): string;
}

export const BENCH_USAGE = `usage: tensile bench [options]

Runs the workloads of BENCH.md on tensile and on every peer that is installed, interleaved,
and prints one table: the median of the repetitions, and tensile's speed relative to each peer.

options:
  --workloads W1,W3     which workloads (default: all of ${WORKLOADS.join(',')})
  --peers tfjs,numpy    which peers (default: all of ${PEERS.join(',')}; 'none': tensile alone)
  --repeat N            timed repetitions per figure, after a warm-up (default 5)
  --json FILE           also write the results as JSON (schema: bench/README.md)
  --unset-openblas-env  run every contender without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
  --quick               tiny sizes, for tests (figures are meaningless)

env: TENSILE_BENCH_PYTHON=/path/to/python  the interpreter for the torch and numpy peers
     (default: the first of python3, /usr/bin/python3 that imports the peer's module)`;

class UsageError extends Error {}

function pickList<T extends string>(what: string, raw: string | undefined, known: readonly T[]): T[] {
  if (raw === undefined || raw.trim().toLowerCase() === 'all') return [...known];
  if (what === 'peer' && raw.trim().toLowerCase() === 'none') return [];
  const out: T[] = [];
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const hit = known.find((k) => k.toLowerCase() === item.toLowerCase());
    if (!hit) throw new UsageError(`unknown ${what} '${item}'; expected a comma-separated list of ${known.join(', ')}`);
    if (!out.includes(hit)) out.push(hit);
  }
  if (out.length === 0)
    throw new UsageError(`--${what}s is empty; expected a comma-separated list of ${known.join(', ')}`);
  return out;
}

/** Parsed options and the JSON path, or a UsageError. */
export function parseBenchArgs(args: string[]): { options: BenchOptions; json?: string; help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        workloads: { type: 'string' },
        peers: { type: 'string' },
        repeat: { type: 'string' },
        json: { type: 'string' },
        'unset-openblas-env': { type: 'boolean' },
        quick: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const repeatRaw = values.repeat ?? '5';
  const repeat = Number(repeatRaw);
  if (!/^\d+$/.test(repeatRaw.trim()) || !Number.isInteger(repeat) || repeat < 1)
    throw new UsageError(`--repeat must be a positive integer, got '${repeatRaw}'`);
  if (values.json !== undefined && values.json.trim() === '') throw new UsageError('--json needs a file name');
  return {
    options: {
      workloads: pickList('workload', values.workloads, WORKLOADS),
      peers: pickList('peer', values.peers, PEERS),
      repeat,
      unsetOpenblasEnv: values['unset-openblas-env'] ?? false,
      quick: values.quick ?? false,
    },
    json: values.json,
    help: values.help ?? false,
  };
}

/** Where the runner is: beside the sources in a checkout, in dist/bench/ in the built package. */
function runnerUrl(): string {
  const here = import.meta.url;
  return fileURLToPath(here).endsWith('.ts')
    ? new URL('../../bench/runner.ts', here).href
    : new URL('./bench/runner.mjs', here).href;
}

/** `tensile bench ...`: returns the exit code. */
export async function benchCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseBenchArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`tensile bench: ${err.message}\n\n${BENCH_USAGE}`);
    return 1;
  }
  if (parsed.help) {
    console.log(BENCH_USAGE);
    return 0;
  }
  const runner = (await import(runnerUrl())) as BenchRunner;
  const report = await runner.runBench(parsed.options, (line) => process.stderr.write(line));
  console.log(runner.formatReport(report));
  if (parsed.json !== undefined) {
    writeFileSync(parsed.json, JSON.stringify(report, null, 2) + '\n');
    console.error(`tensile bench: wrote ${parsed.json}`);
  }
  return 0;
}
