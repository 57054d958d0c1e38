import { describe, expect, it } from 'vitest';
import { mpiUnavailable, mpirun } from './helpers.js';

const why = mpiUnavailable();
const script = 'test/distributed/fixtures/faults.ts';
/** The RESULT line a rank printed (fixtures/faults.ts). */
const result = (out: string, rank: number) =>
  out.split('\n').find((l) => l.startsWith(`RESULT rank=${rank} `)) ?? `(rank ${rank} printed no RESULT)\n${out}`;

// One at a time: under load, ranks started side by side by several jobs can start seconds apart.
describe.skipIf(why !== '')(`distributed faults at np=2${why ? ` (skipped: ${why})` : ''}`, () => {
  it('ranks that disagree on the batch size fail at start, naming the difference', async () => {
    const r = await mpirun(2, script, ['mismatch']);
    for (const rank of [0, 1])
      expect(result(r.out, rank)).toMatch(
        /TensileError: fit \(distributed\): rank 1 disagrees with rank 0 on batchSize: rank 0 has 8, rank 1 has 4/,
      );
  }, 60_000);

  it('a rank that leaves before training makes the other fail within the timeout', async () => {
    const r = await mpirun(2, script, ['exits']);
    expect(result(r.out, 0)).toMatch(
      /TensileError: distributed\.allgather: allgather had no answer from the other ranks within 4 s \(rank 0 of 2\)/,
    );
    expect(r.code).not.toBe(0);
  }, 60_000);

  it('a rank that never joins makes init fail within the timeout', async () => {
    const r = await mpirun(2, script, ['never']);
    expect(result(r.out, 0)).toMatch(/TensileError: distributed\.init: MPI_Init did not return within 4 s/);
    expect(r.code).not.toBe(0);
  }, 60_000);

  it('a rank killed by a signal: the others report the launcher ending the job', async () => {
    const r = await mpirun(2, script, ['killed']);
    expect(result(r.out, 0)).toMatch(
      /TensileError: distributed\.\w+: stopped by SIGTERM while waiting for the other ranks/,
    );
    expect(r.code).not.toBe(0);
  }, 60_000);
});
