import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

describe('freePort', () => {
  it('never hands out one port twice, even to concurrent callers, and claims each for this process', async () => {
    const ports = await Promise.all(Array.from({ length: 100 }, () => freePort()));
    expect(new Set(ports).size).toBe(100);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_000); // below the kernel's ephemeral range
      expect(readFileSync(join(tmpdir(), 'herald-port-claims', String(port)), 'utf8')).toBe(String(process.pid));
    }
  });

  it('hands out a port a service can listen on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
