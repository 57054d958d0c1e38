/**
 * What a config reader found wrong, without knowing the file or the layer: the caller adds both
 * and rethrows it as a TensileError (`loadModel: <file>: layer 'dense' (Dense): <problem>`).
 */
export class ConfigProblem extends Error {}

export function problem(detail: string): never {
  throw new ConfigProblem(detail);
}
