import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../internal/package-root.js';

/** What init resolves to on the native side. */
export interface NativeRanks {
  rank: number;
  size: number;
  localRank: number;
  localSize: number;
  library: string;
}

/** The typed arrays the collectives take. */
export type Collectable = Float32Array | Float64Array | Int32Array | Uint8Array;

/** tensile_mpi.node (native/src/mpi): every collective runs on its communication thread and returns a promise. */
export interface MpiAddon {
  init(): Promise<NativeRanks>;
  /** Init did not return in time: let the process exit without waiting for the communication thread. */
  abandon(): void;
  allreduce(data: Collectable, op: 'sum' | 'max' | 'min', timeoutMs: number): Promise<void>;
  broadcast(data: Collectable, root: number, timeoutMs: number): Promise<void>;
  allgather(data: Collectable, out: Collectable, timeoutMs: number): Promise<void>;
  barrier(timeoutMs: number): Promise<void>;
  /** '' when libnccl.so.2 and the CUDA driver load, else why not. */
  ncclAvailable(): string;
  ncclInit(timeoutMs: number): Promise<NativeRanks>;
  ncclAllreduce(address: bigint, count: number, op: 'sum' | 'max' | 'min', timeoutMs: number): Promise<void>;
  ncclBroadcast(address: bigint, count: number, root: number, timeoutMs: number): Promise<void>;
}

/** The launcher variables of Open MPI, PMIx (Slurm srun --mpi=pmix), MPICH/Hydra and MVAPICH, in that order. */
const LAUNCHER_VARIABLES = ['OMPI_COMM_WORLD_SIZE', 'PMIX_RANK', 'PMI_SIZE', 'PMI_RANK', 'MV2_COMM_WORLD_SIZE'];

/** The variable showing that an MPI launcher started this process ('' when none): TENSILE_MPI=1 forces, =0 refuses. */
export function launchedBy(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TENSILE_MPI === '0') return '';
  if (env.TENSILE_MPI === '1') return 'TENSILE_MPI=1';
  const v = LAUNCHER_VARIABLES.find((k) => env[k] !== undefined);
  return v ? `${v}=${env[v]}` : '';
}

/** tensile_mpi.node beside tensile.node (env TENSILE_MPI_ADDON_PATH: that file), or why it is not there. */
export function loadMpiAddon(): { addon: MpiAddon } | { whyNot: string } {
  const root = packageRoot();
  const candidates = process.env.TENSILE_MPI_ADDON_PATH
    ? [resolve(process.env.TENSILE_MPI_ADDON_PATH)]
    : // Never prebuilt: it is linked to the MPI of the machine it was built on (MPI implementations differ in ABI).
      [join(root, 'build', 'Release', 'tensile_mpi.node')];
  const path = candidates.find((p) => existsSync(p));
  if (!path)
    return {
      whyNot: `tensile_mpi.node was not built (looked in ${candidates.join(', ')}): install MPI (Debian: libopenmpi-dev openmpi-bin) and rebuild with npx cmake-js compile`,
    };
  try {
    return { addon: createRequire(import.meta.url)(path) as MpiAddon };
  } catch (err) {
    return { whyNot: `${path} did not load: ${(err as Error).message.split('\n')[0]}` };
  }
}
