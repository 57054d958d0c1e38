// Data-parallel training over MPI (DESIGN.md §7a): the world, the collectives, and the pieces fit uses.
export { init, allreduce, broadcast, allgather, barrier } from './world.js';
export type { WorldInfo, InitOptions, Collectable } from './world.js';
export type { DistributedFitOptions } from './data-parallel.js';
export { initNccl } from './nccl.js';
export type { NcclInfo } from './nccl.js';
