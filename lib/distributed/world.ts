import { TensileError } from '../errors.js';
import { type Collectable, type MpiAddon, launchedBy, loadMpiAddon } from './native.js';

export type { Collectable } from './native.js';

/** Where this process stands among the processes of one training job. */
export interface WorldInfo {
  /** 0 … size−1; rank 0 prints, saves and runs callbacks. */
  readonly rank: number;
  /** How many processes train together (1 without mpirun). */
  readonly size: number;
  /** The rank among the processes on this machine (which GPU to take). */
  readonly localRank: number;
  /** The processes on this machine. */
  readonly localSize: number;
  /** 'mpi' under an MPI launcher, 'local' for a lone process. */
  readonly transport: 'mpi' | 'local';
  /** The MPI library, e.g. 'Open MPI v4.1.4' ('' when local). */
  readonly library: string;
}

/** Options of tl.distributed.init. */
export interface InitOptions {
  /**
   * How long any collective (init included) may wait for the other ranks before failing with a TensileError
   * (a rank died, never joined, or runs other collectives). Default: env TENSILE_DISTRIBUTED_TIMEOUT_MS, else 120,000.
   */
  timeoutMs?: number;
}

const LOCAL: WorldInfo = { rank: 0, size: 1, localRank: 0, localSize: 1, transport: 'local', library: '' };
let started: Promise<WorldInfo> | undefined;
let current: WorldInfo | undefined;
let addon: MpiAddon | undefined;
let timeoutMs = 120_000;

function checkTimeout(op: string, t: unknown): number {
  if (typeof t !== 'number' || !(t > 0) || !Number.isFinite(t))
    throw new TensileError(op, `timeoutMs must be a positive number of milliseconds, got ${String(t)}`);
  return t;
}

/** Waits for p at most ms; on time-out runs onTimeout and rejects with the message. */
function within<T>(p: Promise<T>, ms: number, onTimeout: () => void, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(message));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function start(o: InitOptions): Promise<WorldInfo> {
  const env = process.env.TENSILE_DISTRIBUTED_TIMEOUT_MS;
  timeoutMs = checkTimeout('distributed.init', o.timeoutMs ?? (env !== undefined ? Number(env) : timeoutMs));
  const launcher = launchedBy();
  if (!launcher) return LOCAL;
  const loaded = loadMpiAddon();
  // Under mpirun, a silent single process would train N unrelated models: refuse instead.
  if ('whyNot' in loaded)
    throw new TensileError(
      'distributed.init',
      `this process was started by an MPI launcher (${launcher}) but MPI is not available: ${loaded.whyNot}`,
    );
  const a = loaded.addon;
  try {
    const r = await within(
      a.init(),
      timeoutMs,
      () => a.abandon(),
      `MPI_Init did not return within ${timeoutMs / 1000} s: a rank has not started or cannot reach the others`,
    );
    addon = a;
    return {
      rank: r.rank,
      size: r.size,
      localRank: r.localRank,
      localSize: r.localSize,
      transport: 'mpi',
      library: r.library,
    };
  } catch (e) {
    throw new TensileError('distributed.init', (e as Error).message);
  }
}

/**
 * Joins the job this process was started in: under `mpirun` (or `srun --mpi=pmix`) MPI is initialised on
 * tensile's communication thread; without a launcher this is a job of one (rank 0 of 1), so the same script
 * runs alone. Idempotent: later calls return the same answer.
 * @example
 * const { rank, size } = await tl.distributed.init();
 * if (rank === 0) console.log(`training on ${size} processes`);
 */
export function init(options?: InitOptions): Promise<WorldInfo> {
  if (!started) {
    started = start(options ?? {}).then((w) => (current = w));
    started.catch(() => {});
  }
  return started;
}

/** The world after init() resolved; throws otherwise. */
export function world(op = 'distributed'): WorldInfo {
  if (!current) throw new TensileError(op, 'call (and await) tl.distributed.init() first');
  return current;
}

/** The collective timeout in force (ms). */
export function collectiveTimeoutMs(): number {
  return timeoutMs;
}

function checkArray(op: string, name: string, a: unknown): Collectable {
  if (!(a instanceof Float32Array || a instanceof Float64Array || a instanceof Int32Array || a instanceof Uint8Array))
    throw new TensileError(
      op,
      `${name} must be a Float32Array, Float64Array, Int32Array or Uint8Array, got ${a === null ? 'null' : ((a as object)?.constructor?.name ?? typeof a)}`,
    );
  return a;
}

/**
 * When a rank fails, the launcher stops the others with SIGTERM (then SIGKILL): turn it into a TensileError of the
 * collective in flight, so that the job's log says why, then exit as the signal would have.
 */
let terminated: Promise<never> | undefined;
function onTermination(): Promise<never> {
  terminated ??= new Promise<never>((_, reject) => {
    process.once('SIGTERM', () => {
      reject(
        new Error(
          'stopped by SIGTERM while waiting for the other ranks: the launcher is ending the job (another rank failed, or the job was cancelled)',
        ),
      );
      setTimeout(() => process.exit(143), 500);
    });
  });
  terminated.catch(() => {});
  return terminated;
}

async function mpi(op: string, f: (a: MpiAddon) => Promise<void>): Promise<void> {
  const w = world(op);
  if (w.transport === 'local') return;
  try {
    await Promise.race([f(addon!), onTermination()]);
  } catch (e) {
    throw new TensileError(op, (e as Error).message);
  }
}

/**
 * Reduces `data` element-wise over all ranks, in place: every rank ends with the sum (or max, min).
 * Do not touch `data` until the promise settles; the event loop stays free meanwhile.
 * @example
 * const g = new Float32Array([rank, 1]); await tl.distributed.allreduce(g); // [0+1+…, size] on every rank
 */
export function allreduce(data: Collectable, options?: { op?: 'sum' | 'max' | 'min' }): Promise<void> {
  const op = 'distributed.allreduce';
  const a = checkArray(op, 'data', data);
  const how = options?.op ?? 'sum';
  if (how !== 'sum' && how !== 'max' && how !== 'min')
    throw new TensileError(op, `op must be 'sum', 'max' or 'min', got ${String(how)}`);
  return mpi(op, (m) => m.allreduce(a, how, timeoutMs));
}

/**
 * Copies `data` of rank `root` (default 0) into `data` on every rank, in place; all ranks pass arrays of one length.
 * @example
 * const w = new Float32Array(10); if (rank === 0) w.fill(1); await tl.distributed.broadcast(w);
 */
export function broadcast(data: Collectable, options?: { root?: number }): Promise<void> {
  const op = 'distributed.broadcast';
  const a = checkArray(op, 'data', data);
  const root = options?.root ?? 0;
  const w = world(op);
  if (!Number.isInteger(root) || root < 0 || root >= w.size)
    throw new TensileError(op, `root must be a rank in [0, ${w.size - 1}], got ${String(root)}`);
  return mpi(op, (m) => m.broadcast(a, root, timeoutMs));
}

/**
 * Every rank's `data` side by side, in rank order, on every rank (all ranks pass arrays of one length).
 * @example
 * const all = await tl.distributed.allgather(new Int32Array([rank])); // Int32Array [0, 1, …]
 */
export async function allgather<T extends Collectable>(data: T): Promise<T> {
  const op = 'distributed.allgather';
  const a = checkArray(op, 'data', data) as T;
  const w = world(op);
  const out = new (a.constructor as new (n: number) => T)(a.length * w.size);
  if (w.transport === 'local') out.set(a as never);
  else await mpi(op, (m) => m.allgather(a, out, timeoutMs));
  return out;
}

/**
 * Resolves once every rank has called it.
 * @example
 * await tl.distributed.barrier();
 */
export function barrier(): Promise<void> {
  return mpi('distributed.barrier', (m) => m.barrier(timeoutMs));
}

/** @internal The loaded MPI addon (NCCL lives in it), or null for a local world. */
export function mpiAddon(): MpiAddon | null {
  return addon ?? null;
}
