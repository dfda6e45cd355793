import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

/**
 * Modules register what "ready" means for them (Kafka reachable, database reachable, consumers
 * running). `/health/ready` runs every check; shutdown marks the service not ready first.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  entries(): [string, ReadinessCheck][] {
    const list = [...this.checks.entries()];
    if (this.shuttingDown) {
      list.unshift(['shutdown', async () => Promise.reject(new Error('shutting down'))]);
    }
    return list;
  }
}

/** Rejects when the promise takes longer than `ms`, so a hung dependency fails its check. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
