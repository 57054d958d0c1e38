// The JSON-lines protocol between `tensile bench` and a contender process, and the contender side of it
// for the JavaScript contenders (bench/peers/protocol.py is the Python side).
//
// parent → child, one JSON object a line on stdin:
//   {"op":"hello"}                 → {"ok":true,"info":ContenderInfo} | {"skip":"why"}
//   {"op":"setup","case":CaseSpec} → {"ok":true} | {"skip":"why"}     builds the model/data, warms up, calibrates
//   {"op":"run"}                   → {"values":[one per figure]}        one timed repetition of the case set up
//   {"op":"exit"}                  → the process exits
// Any failure answers {"error":"message"}. Answers are lines on stdout starting with MARK; everything else a
// contender or its libraries print (tfjs greets on stdout) is not protocol and is kept for error reports.
import { createInterface } from 'node:readline';
import { type CaseSpec, callsFor, stepsFor } from './cases.js';

export const MARK = '@@bench ';

export interface ContenderInfo {
  version: string;
  /** Threads its math runs on. */
  threads: number;
  /** The BLAS library and the core type it chose, where it reports one. */
  blas?: string;
  notes?: string;
}

export type Request = { op: 'hello' } | { op: 'setup'; case: CaseSpec } | { op: 'run' } | { op: 'exit' };
export type Reply = { ok: true; info?: ContenderInfo } | { skip: string } | { values: number[] } | { error: string };

/** A case set up and ready to time: each run() is one repetition, one value per figure. */
export interface Prepared {
  run(): Promise<number[]> | number[];
  dispose?(): void;
}

export interface JsContender {
  hello(): Promise<ContenderInfo | { skip: string }>;
  /** { skip } for a workload this contender cannot run, with the reason. */
  setup(c: CaseSpec): Promise<Prepared | { skip: string }>;
}

export class Skip {
  constructor(readonly reason: string) {}
}

/** Serve the protocol on stdin/stdout until exit or EOF. */
export function serve(contender: JsContender): void {
  const send = (r: Reply) => process.stdout.write(MARK + JSON.stringify(r) + '\n');
  // Libraries' own console.log output would interleave with answers: send it to stderr.
  console.log = console.error;
  console.info = console.error;
  let current: Prepared | undefined;
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      const req = JSON.parse(line) as Request;
      try {
        switch (req.op) {
          case 'hello': {
            const info = await contender.hello();
            send('skip' in info ? { skip: info.skip } : { ok: true, info });
            break;
          }
          case 'setup': {
            current?.dispose?.();
            current = undefined;
            const p = await contender.setup(req.case);
            if ('skip' in p) send({ skip: p.skip });
            else {
              current = p;
              send({ ok: true });
            }
            break;
          }
          case 'run': {
            if (!current) throw new Error('run before a successful setup');
            send({ values: await current.run() });
            break;
          }
          case 'exit':
            process.exit(0);
        }
      } catch (err) {
        send(err instanceof Skip ? { skip: err.reason } : { error: (err as Error)?.stack ?? String(err) });
      }
    });
  });
  lines.on('close', () => void queue.then(() => process.exit(0)));
}

/** Time one repetition: calls × fn; returns milliseconds per call. */
export async function msPerCall(calls: number, fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const r = fn();
    if (r instanceof Promise) await r; // sync contenders pay no microtask per call
  }
  return (performance.now() - t0) / calls;
}

/** Median of per-call times of `calls` calls, in µs (W6 one-sample latency). */
export async function medianLatencyUs(calls: number, fn: () => unknown): Promise<number> {
  const t = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const r = fn();
    if (r instanceof Promise) await r;
    t[i] = performance.now() - t0;
  }
  t.sort();
  return t[calls >> 1] * 1e3;
}

export function uniform(n: number, lo = 0, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * Math.random();
  return a;
}

/** One-hot rows of random classes. */
export function oneHot(rows: number, classes: number): Float32Array {
  const a = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) a[r * classes + Math.floor(Math.random() * classes)] = 1;
  return a;
}

/**
 * A training-throughput case (W2, W4, W5): `fitRows(rows)` trains one epoch on the first `rows` samples.
 * One warm step, one timed step to size a repetition (stepsFor), then each run trains that many steps.
 */
export async function trainingCase(
  p: Record<string, number>,
  fitRows: (rows: number) => Promise<unknown>,
): Promise<Prepared> {
  let t0 = performance.now();
  await fitRows(p.batch);
  // A first step longer than twice the budget means one step a repetition: no second calibration step.
  if (performance.now() - t0 < 2 * p.budgetMs) {
    t0 = performance.now();
    await fitRows(p.batch);
  }
  const rows = stepsFor(performance.now() - t0, p) * p.batch;
  return {
    async run() {
      const t = performance.now();
      await fitRows(rows);
      return [rows / ((performance.now() - t) / 1e3)];
    },
  };
}

/** W1: a whole `fit` (after one warm-up fit), reported as total ms and µs per step. */
export async function fitCase(fit: () => Promise<unknown>, steps: number): Promise<Prepared> {
  await fit();
  return {
    async run() {
      const t0 = performance.now();
      await fit();
      const ms = performance.now() - t0;
      return [ms, (ms * 1e3) / steps];
    },
  };
}

/** A case timed as calls of `fn` filling about budgetMs; `figure(msPerCall)` turns the time into the figure. */
export async function callsCase(
  budgetMs: number,
  fn: () => unknown,
  figure: (msPerCall: number) => number,
): Promise<Prepared> {
  const warm = await msPerCall(1, fn);
  // A call longer than the budget is timed one at a time, with no second calibration call.
  const calls =
    warm >= budgetMs ? 1 : callsFor(Math.min(warm, await msPerCall(callsFor(warm, budgetMs / 10), fn)), budgetMs);
  return { run: async () => [figure(await msPerCall(calls, fn))] };
}
