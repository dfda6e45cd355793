import { mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports handed out come from below the kernel's ephemeral range (32768+ on Linux), so an
 * outgoing connection can never be given one between the check and the service's listen.
 */
const PORT_RANGE = { low: 20_000, high: 32_000 };
/** Claims are shared by every process on the machine (parallel jest workers, the chaos run). */
const CLAIMS_DIR = join(tmpdir(), 'herald-port-claims');
/** A claim older than this is free again: a stack lives minutes, and the range is large. */
const CLAIM_TTL_MS = 30 * 60_000;

function listensNow(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Claims a port for this process, unless another process claimed it within CLAIM_TTL_MS. */
function claim(port: number): boolean {
  const file = join(CLAIMS_DIR, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A stale claim is removed; the next try (here or in another process) may take the port.
    if (Date.now() - statSync(file).mtimeMs > CLAIM_TTL_MS) unlinkSync(file);
    return false;
  }
}

/**
 * Free on 127.0.0.1 and not given to another caller recently: parallel stacks pick ports seconds before
 * listening, and `listen(0)` may hand the same just-closed port to two of them (one dies with EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.low + Math.floor(Math.random() * (PORT_RANGE.high - PORT_RANGE.low));
    if (claim(port) && (await listensNow(port))) return port;
  }
  throw new Error(`no free port found in ${PORT_RANGE.low}-${PORT_RANGE.high} after 200 tries`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it resolves true or the time runs out. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
