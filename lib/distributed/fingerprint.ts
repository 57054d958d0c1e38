import { TensileError } from '../errors.js';
import { allgather } from './world.js';

/** What every rank must agree on before training together: [what, value] pairs, in a fixed order. */
export type Fingerprint = [string, string][];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Compares this rank's fingerprint with every other rank's (two allgathers: lengths, then the padded texts) and
 * throws the same TensileError on every rank when any differs, naming the ranks, the field and both values.
 */
export async function checkAgreement(op: string, rank: number, mine: Fingerprint): Promise<void> {
  const bytes = encoder.encode(JSON.stringify(mine));
  const lengths = await allgather(new Int32Array([bytes.length]));
  const width = Math.max(...lengths);
  const padded = new Uint8Array(width);
  padded.set(bytes);
  const all = await allgather(padded);
  const prints = [...lengths].map((n, r) =>
    r === rank ? mine : (JSON.parse(decoder.decode(all.subarray(r * width, r * width + n))) as Fingerprint),
  );
  const problems: string[] = [];
  for (let r = 1; r < prints.length; r++) {
    const diff = prints[0].findIndex(([k, v], i) => prints[r][i]?.[0] !== k || prints[r][i][1] !== v);
    if (diff < 0 && prints[r].length === prints[0].length) continue;
    const [k, v] = prints[0][diff] ?? prints[r][prints[0].length];
    const theirs = prints[r].find(([kr]) => kr === k)?.[1] ?? '(nothing)';
    problems.push(`rank ${r} disagrees with rank 0 on ${k}: rank 0 has ${v}, rank ${r} has ${theirs}`);
  }
  if (problems.length)
    throw new TensileError(op, `${problems.join('; ')}. Every rank must run the same script on data of the same size`);
}
