import { createReadStream } from 'node:fs';
import { TensileError } from '../errors.js';
import { Dataset } from './dataset.js';

const op = 'data.csv';

/** How one column is read (tfjs-data's ColumnConfig). */
export interface ColumnConfig {
  /** 'float32' (default) and 'int32' parse numbers, 'bool' reads true/false/1/0 as 1/0, 'string' keeps the text. */
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
  /** The column goes to the element's `ys` instead of its `xs`. */
  isLabel?: boolean;
  /** The value of an empty cell; without one an empty cell makes the row bad. */
  default?: number | string;
  /** An empty cell makes the row bad even when a default is given. Default false. */
  required?: boolean;
}

/** Options of tl.data.csv. */
export interface CsvOptions {
  /** The first line names the columns. Default true. */
  hasHeader?: boolean;
  /** Names of the columns, in order: needed when there is no header, and replaces the header's names when there is one. */
  columnNames?: string[];
  /** Per-column settings by name: which are labels, their types and defaults. */
  columnConfigs?: Record<string, ColumnConfig>;
  /** Keep only the columns named in columnConfigs. Default false. */
  configuredColumnsOnly?: boolean;
  /** The field separator. Default ','. */
  delimiter?: string;
  /**
   * Rows with the wrong number of fields or a value that does not parse: false (default) throws a TensileError
   * naming the file and line; true skips them and counts them in `skippedRows`.
   */
  skipBadRows?: boolean;
}

/** A row: column name to value, or { xs, ys } when some column is a label (as tfjs-data). */
export type CsvRow = Record<string, number | string>;
/** An element of tl.data.csv: a row, or { xs, ys } when some column is a label. */
export type CsvElement =
  | CsvRow
  | {
      /** The feature columns. */
      xs: CsvRow;
      /** The label columns. */
      ys: CsvRow;
    };

/** One line split at the delimiter; double quotes enclose fields that contain it ("" is a quote). */
function splitFields(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') field += line[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (line.startsWith(delimiter, i)) {
      out.push(field);
      field = '';
      i += delimiter.length - 1;
    } else field += c;
  }
  out.push(field);
  return out;
}

class BadRow extends Error {}

/** A column's reader: a cell's text to its value, or a BadRow saying why it has none. */
function cellReader(
  name: string,
  config: ColumnConfig | undefined,
  textWhereNotNumber: boolean,
): (text: string) => number | string {
  const empty = (): number | string => {
    if (config?.required || config?.default === undefined)
      throw new BadRow(
        `column '${name}' is empty${config?.required ? ' (required)' : '; give columnConfigs[name].default to fill it'}`,
      );
    return config.default;
  };
  const dtype = config?.dtype ?? 'float32';
  if (dtype === 'string') return (text) => (text.trim() === '' ? empty() : text.trim());
  if (dtype === 'bool')
    return (text) => {
      const cell = text.trim().toLowerCase();
      if (cell === '') return empty();
      const b = cell === 'true' || cell === '1' ? 1 : cell === 'false' || cell === '0' ? 0 : -1;
      if (b < 0) throw new BadRow(`column '${name}': '${cell}' is not true, false, 1 or 0`);
      return b;
    };
  const int = dtype === 'int32';
  return (text) => {
    // Number() skips surrounding spaces, and reads '' and '  ' as 0: only a 0 needs the look for an empty cell.
    const v = Number(text);
    if (v === 0 && text.trim() === '') return empty();
    if (Number.isNaN(v) && text.trim() !== 'NaN' && textWhereNotNumber && config?.dtype === undefined)
      return text.trim();
    if (Number.isNaN(v) && text.trim() !== 'NaN')
      throw new BadRow(`column '${name}': '${text.trim()}' is not a number`);
    return int ? Math.trunc(v) : v;
  };
}

/** The lines of a file, read in chunks of 64 KiB: for each chunk, the number (1-based) of its first line and its lines. */
async function* lineChunks(path: string): AsyncGenerator<[number, string[]]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  let rest = '';
  let n = 1;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      yield [n, lines];
      n += lines.length;
    }
    if (rest !== '') yield [n, [rest]];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new TensileError(op, `no file ${path}`);
    throw err;
  } finally {
    stream.destroy();
  }
}

/**
 * A CSV file streamed row by row (tfjs-data's tf.data.csv): only a chunk of the file is in memory at a time,
 * so files larger than memory can be trained on with model.fitDataset.
 */
export class CsvDataset extends Dataset<CsvElement> {
  /** Bad rows skipped so far in the current pass (or the last finished one), with skipBadRows. */
  skippedRows = 0;

  /** The file path (a 'file://' prefix, as tfjs-data takes, is dropped). */
  readonly path: string;

  constructor(
    path: string,
    private readonly o: CsvOptions = {},
    /** @internal tfjs-data's typing: a cell of a column without a dtype that is not a number is kept as text. */
    private readonly textWhereNotNumber = false,
  ) {
    const self: { dataset?: CsvDataset } = {};
    super(() => self.dataset!.rows());
    self.dataset = this;
    if (typeof path !== 'string' || path === '' || path === 'file://')
      throw new TensileError(op, `path must be a file path, got ${String(path)}`);
    this.path = path.startsWith('file://') ? path.slice('file://'.length) : path;
    const d = o.delimiter ?? ',';
    if (typeof d !== 'string' || d === '' || d.includes('"') || /[\r\n]/.test(d))
      throw new TensileError(
        op,
        `delimiter must be a non-empty string without quotes or line breaks, got ${JSON.stringify(d)}`,
      );
    if ((o.hasHeader ?? true) === false && !o.columnNames)
      throw new TensileError(op, 'a file without a header needs columnNames');
    for (const [name, c] of Object.entries(o.columnConfigs ?? {}))
      if (c.dtype !== undefined && !['float32', 'int32', 'bool', 'string'].includes(c.dtype))
        throw new TensileError(
          op,
          `columnConfigs['${name}'].dtype must be 'float32', 'int32', 'bool' or 'string', got '${c.dtype}'`,
        );
  }

  /**
   * The names of the columns (tfjs-data's columnNames): columnNames when given, else the header's.
   * @example const names = await tl.data.csv('abalone.csv').columnNames();
   */
  async columnNames(): Promise<string[]> {
    if (this.o.columnNames) return [...this.o.columnNames];
    const delimiter = this.o.delimiter ?? ',';
    for await (const [, lines] of lineChunks(this.path)) {
      const line = lines.find((l) => l.trim() !== '');
      if (line !== undefined)
        return splitFields(line.endsWith('\r') ? line.slice(0, -1) : line, delimiter).map((f) => f.trim());
    }
    throw new TensileError(op, `${this.path} is empty: it has no header`);
  }

  private async *rows(): AsyncGenerator<CsvElement> {
    const { columnConfigs = {}, configuredColumnsOnly = false, skipBadRows = false } = this.o;
    const delimiter = this.o.delimiter ?? ',';
    let names = this.o.columnNames;
    let hasHeader = this.o.hasHeader ?? true;
    const anyLabel = Object.values(columnConfigs).some((c) => c.isLabel);
    let kept: { index: number; name: string; read: (text: string) => number | string; label: boolean }[] = [];
    const plan = (header: string[]) => {
      for (const name of Object.keys(columnConfigs))
        if (!header.includes(name))
          throw new TensileError(
            op,
            `${this.path}: columnConfigs names '${name}', which is not a column; columns: ${header.join(', ')}`,
          );
      kept = header
        .map((name, index) => ({
          index,
          name,
          read: cellReader(name, columnConfigs[name], this.textWhereNotNumber),
          label: columnConfigs[name]?.isLabel ?? false,
          configured: name in columnConfigs,
        }))
        .filter((c) => !configuredColumnsOnly || c.configured);
    };
    if (names) plan(names);
    this.skippedRows = 0;
    for await (const [first, lines] of lineChunks(this.path)) {
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
        if (line.trim() === '') continue;
        const fields = splitFields(line, delimiter);
        if (hasHeader) {
          hasHeader = false;
          if (!names) plan((names = fields.map((f) => f.trim())));
          continue;
        }
        try {
          if (fields.length !== names!.length) throw new BadRow(`${fields.length} fields, expected ${names!.length}`);
          const xs: CsvRow = {};
          const ys: CsvRow = {};
          for (const c of kept) (c.label ? ys : xs)[c.name] = c.read(fields[c.index]);
          yield anyLabel ? { xs, ys } : xs;
        } catch (err) {
          if (!(err instanceof BadRow)) throw err;
          if (!skipBadRows)
            throw new TensileError(
              op,
              `${this.path} line ${first + i}: ${err.message} (skipBadRows: true skips such rows)`,
            );
          this.skippedRows++;
        }
      }
    }
  }
}

/**
 * A dataset streamed from a CSV file, one element per row: an object of column values, or { xs, ys } when
 * columnConfigs marks label columns.
 * @example
 * const ds = tl.data.csv('big.csv', { columnConfigs: { label: { isLabel: true } } })
 *   .map(({ xs, ys }) => ({ xs: Object.values(xs), ys: Object.values(ys) }))
 *   .batch(256);
 * await model.fitDataset(ds, { epochs: 3 });
 */
export function csv(path: string, options: CsvOptions = {}): CsvDataset {
  return new CsvDataset(path, options);
}
