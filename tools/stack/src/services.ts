import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { distDir, repoRoot } from './paths';
import { waitFor } from './ports';

export const SERVICE_NAMES = ['subscription-api', 'event-ingest', 'matcher', 'deliverer', 'audit-log'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceOptions {
  name: ServiceName;
  port: number;
  env: Record<string, string>;
  logDir: string;
  /** Also copy the service's log lines to this process's stdout. */
  echo?: boolean;
  readyTimeoutMs?: number;
  /** Entry script, run in its own directory (e.g. an image's main.js); default: the build's apps/<name>/src/main.js. */
  script?: string;
  /** Replica number (1 when absent); replicas beyond the first log to `<name>-<n>.log`. */
  instance?: number;
}

/** One running service process, started from the build in dist/. */
export class ServiceProcess {
  child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(readonly options: ServiceOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** `deliverer`, or `deliverer#2` for a second replica. */
  get label(): string {
    const n = this.options.instance ?? 1;
    return n === 1 ? this.options.name : `${this.options.name}#${n}`;
  }

  get logFile(): string {
    const n = this.options.instance ?? 1;
    return resolve(this.options.logDir, n === 1 ? `${this.options.name}.log` : `${this.options.name}-${n}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const { name, port, env, logDir } = this.options;
    mkdirSync(logDir, { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const script = this.options.script ?? resolve(distDir, 'apps', name, 'src/main.js');
    const child = spawn(process.execPath, ['--enable-source-maps', script], {
      cwd: this.options.script ? dirname(script) : repoRoot,
      env: { ...process.env, ...env, PORT: String(port), HTTP_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.pipe(log, { end: false });
      if (this.options.echo) stream.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    }
    this.exited = new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    let exitCode: number | null | undefined;
    void this.exited.then((code) => {
      exitCode = code;
    });
    await waitFor(
      `${name} on port ${port}`,
      async () => {
        if (exitCode !== undefined) throw new Error(`${this.label} exited with code ${exitCode}; see ${this.logFile}`);
        const response = await fetch(`${this.url}/health/ready`);
        return response.status === 200;
      },
      this.options.readyTimeoutMs ?? 60000,
    ).catch((error) => {
      if (exitCode !== undefined) {
        throw new Error(`${this.label} exited with code ${exitCode} during start; see ${this.logFile}`);
      }
      throw error;
    });
  }

  /** Graceful stop (SIGTERM), then SIGKILL after the timeout. Resolves with the exit code. */
  async stop(timeoutMs = 20000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** Crash: SIGKILL, no shutdown hooks. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }
}
