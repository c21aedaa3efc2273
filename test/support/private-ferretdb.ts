import { ChildProcess, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { createConnection } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { freePort } from './free-port';
import { ROOT } from './global-setup';

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

/**
 * A FerretDB process of a test's own (SQLite in a temporary folder, its own ports), so the test can
 * stop and start its database without touching the shared one on 27017. Data survive a restart.
 */
export class PrivateFerretDb {
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(
    readonly port: number,
    private readonly debugPort: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateFerretDb> {
    const dir = mkdtempSync(path.join(tmpdir(), 'private-ferretdb-'));
    mkdirSync(path.join(dir, 'data'));
    mkdirSync(path.join(dir, 'state'));
    const db = new PrivateFerretDb(await freePort(), await freePort(), dir);
    await db.startAgain();
    return db;
  }

  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the process on the same port and data; resolves once it accepts connections. */
  async startAgain(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error('private FerretDB is already running');
    const args = [
      `--listen-addr=127.0.0.1:${this.port}`,
      `--debug-addr=127.0.0.1:${this.debugPort}`,
      '--handler=sqlite',
      `--sqlite-url=file:${path.join(this.dir, 'data')}/`,
      `--state-dir=${path.join(this.dir, 'state')}`,
      '--telemetry=disable',
      '--log-level=WARN',
    ];
    const child = spawn(path.join(ROOT, '.tools', 'bin', 'ferretdb'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null) throw new Error(`private FerretDB exited (${child.exitCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`private FerretDB did not listen on ${this.port} in ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the process (SIGTERM: a clean stop; SIGKILL: a crash) and waits until it is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    this.child = null;
  }

  /** Stops it and deletes its data. */
  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  get log(): string {
    return this.output;
  }
}
