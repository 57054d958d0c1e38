import { TensileError } from '../errors.js';

/** Edit distance, to suggest the nearest known name for a typo. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** snake_case or PascalCase → camelCase: 'binary_crossentropy' → 'binaryCrossentropy', 'GlorotUniform' → 'glorotUniform'. */
export function toCamel(name: string): string {
  const camel = name.replace(/[_-]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
  return camel.charAt(0).toLowerCase() + camel.slice(1);
}

/** Look a user-typed identifier up in a registry, accepting camelCase, snake_case and PascalCase. */
export function lookup<T>(
  registry: Readonly<Record<string, T>>,
  name: string,
  aliases: Readonly<Record<string, string>> = {},
): T | undefined {
  if (typeof name !== 'string') return undefined;
  const key = aliases[name] ?? aliases[toCamel(name)] ?? toCamel(name);
  return Object.prototype.hasOwnProperty.call(registry, key) ? registry[key] : undefined;
}

/** "unknown X 'foo'; did you mean 'bar'? Expected one of …" */
export function unknownName(kind: string, name: unknown, known: readonly string[]): string {
  const s = String(name);
  const best = known
    .map((k) => [k, distance(toCamel(s).toLowerCase(), k.toLowerCase())] as const)
    .sort((a, b) => a[1] - b[1])[0];
  // A near spelling, else a known name the typed one begins (saveBest → saveBestOnly).
  const near =
    best && best[1] <= Math.max(2, Math.floor(s.length / 3))
      ? best[0]
      : known.find((k) => s.length >= 3 && k.toLowerCase().startsWith(s.toLowerCase()));
  const hint = near ? ` did you mean '${near}'?` : '';
  return `unknown ${kind} '${s}';${hint} expected one of ${known.join(', ')}`;
}

/**
 * Reject an options object with a key not in `known` (a typo would otherwise be dropped without a word):
 * "fit: unknown option 'batchsize'; did you mean 'batchSize'? expected one of …". Undefined values count too.
 */
export function checkKeys(op: string, options: object, known: readonly string[], kind = 'option'): void {
  for (const k of Object.keys(options)) if (!known.includes(k)) throw new TensileError(op, unknownName(kind, k, known));
}

/** The options object of a factory or method: undefined (all defaults) or a plain object, its keys checked. */
export function optionsObject<T extends object>(
  op: string,
  o: T | undefined,
  known: readonly string[],
  example: string,
): T {
  if (o === undefined) return {} as T;
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    throw new TensileError(
      op,
      `options must be an object such as ${example}, got ${o === null ? 'null' : Array.isArray(o) ? 'an array' : typeof o}`,
    );
  checkKeys(op, o, known);
  return o;
}
