import { TensileError } from '../errors.js';
import { loadMpiAddon } from './native.js';
import { collectiveTimeoutMs, mpiAddon, world } from './world.js';

/** The NCCL communicator initNccl made. */
export interface NcclInfo {
  /** The NCCL communicator spans the MPI world: one GPU per rank, GPU number localRank on each machine. */
  readonly rank: number;
  /** The number of ranks (GPUs). */
  readonly size: number;
  /** This rank's number among the ranks of its machine: the GPU it uses. */
  readonly localRank: number;
}

/**
 * Opens NCCL for GPU collectives beside MPI: libnccl.so.2 and the CUDA driver are loaded at run time (nothing
 * is needed to build or to load tensile without them), rank 0's NCCL unique id is broadcast over MPI, and every
 * rank joins the communicator on GPU localRank. Throws a TensileError saying "NCCL not found" (and why) where
 * NCCL or the driver cannot be loaded. Call after `init()`.
 * @example
 * await tl.distributed.init(); await tl.distributed.initNccl();
 */
export async function initNccl(): Promise<NcclInfo> {
  const op = 'distributed.initNccl';
  const w = world(op);
  const addon =
    mpiAddon() ??
    (() => {
      const loaded = loadMpiAddon();
      if ('whyNot' in loaded)
        throw new TensileError(op, `NCCL not found: its loader lives in tensile_mpi.node, and ${loaded.whyNot}`);
      return loaded.addon;
    })();
  const why = addon.ncclAvailable();
  if (why) throw new TensileError(op, why);
  // A job of one needs no communicator: its collectives change nothing.
  if (w.transport === 'local') return { rank: 0, size: 1, localRank: 0 };
  try {
    const r = await addon.ncclInit(collectiveTimeoutMs());
    return { rank: r.rank, size: r.size, localRank: r.localRank };
  } catch (e) {
    throw new TensileError(op, (e as Error).message);
  }
}
