// One contender as a long-lived child process speaking the protocol of bench/protocol.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MARK, type Reply, type Request } from './protocol.js';

/** How to start a contender: a command line and its environment. */
export interface Launch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export class ContenderProcess {
  private child: ChildProcess;
  private waiting: ((r: Reply) => void) | undefined;
  private exited: string | undefined;
  /** The last lines the process printed that were not answers (its stderr, libraries' chatter). */
  private chatter: string[] = [];
  private frozen = false;

  constructor(
    readonly name: string,
    launch: Launch,
  ) {
    this.child = spawn(launch.command, launch.args, { env: launch.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const keep = (line: string) => {
      this.chatter.push(line);
      if (this.chatter.length > 20) this.chatter.shift();
    };
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith(MARK)) return keep(line);
      const w = this.waiting;
      this.waiting = undefined;
      w?.(JSON.parse(line.slice(MARK.length)) as Reply);
    });
    createInterface({ input: this.child.stderr! }).on('line', keep);
    const gone = (why: string) => {
      this.exited ??= why;
      const w = this.waiting;
      this.waiting = undefined;
      w?.({ error: `${this.name} exited (${why})${this.tail()}` });
    };
    this.child.on('error', (err) => gone(err.message));
    this.child.on('close', (code, signal) => gone(signal ? `signal ${signal}` : `code ${code}`));
    this.child.stdin!.on('error', () => {}); // a dead child is reported through 'close'
  }

  /** The first error line it printed (a stack trace's head), then its last lines. */
  private tail(): string {
    if (!this.chatter.length) return '';
    const first = this.chatter.find((l) => /\b\w*Error\b|error:/.test(l));
    return `${first ? `: ${first.trim()}` : ''}\n  its last output:\n  ${this.chatter.slice(-8).join('\n  ')}`;
  }

  /** Send one request and wait for its answer (one request at a time); timeoutMs 0 waits for ever. */
  request(req: Request, timeoutMs = 0): Promise<Reply> {
    if (this.exited) return Promise.resolve({ error: `${this.name} exited (${this.exited})${this.tail()}` });
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.waiting = (r) => {
        if (timer) clearTimeout(timer);
        resolve(r);
      };
      if (timeoutMs > 0)
        timer = setTimeout(() => {
          this.waiting = undefined;
          this.kill();
          resolve({ error: `${this.name} did not answer '${req.op}' within ${timeoutMs / 1e3} s${this.tail()}` });
        }, timeoutMs);
      this.child.stdin!.write(JSON.stringify(req) + '\n');
    });
  }

  /** Ask the process to exit; kill it if it has not after a moment. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.freeze(false);
    const done = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin!.end(JSON.stringify({ op: 'exit' }) + '\n');
    const timer = setTimeout(() => this.kill(), 3000);
    await done;
    clearTimeout(timer);
  }

  /**
   * Freeze (SIGSTOP) or thaw (SIGCONT) the whole process while another contender is timed, so that its idle
   * thread pools (OpenBLAS, OpenMP and onnxruntime workers spin after a call) take no core from that contender.
   */
  freeze(frozen: boolean): void {
    if (this.exited || process.platform === 'win32' || this.frozen === frozen) return;
    this.frozen = frozen;
    this.child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
