import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from './paths';

export interface KafkaOptions {
  home: string;
  port: number;
  controllerPort: number;
}

function kafkaSh(command: string, options: KafkaOptions): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [resolve(repoRoot, 'tools/kafka/kafka.sh'), command], {
      env: {
        ...process.env,
        HERALD_HOME: options.home,
        KAFKA_PORT: String(options.port),
        KAFKA_CONTROLLER_PORT: String(options.controllerPort),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`tools/kafka/kafka.sh ${command} exited with ${code}`)),
    );
  });
}

/** Starts (or reuses) the local single-node KRaft broker; resolves when it is ready. */
export async function startKafka(options: KafkaOptions): Promise<{ brokers: string; stop: () => Promise<void> }> {
  await kafkaSh('start', options);
  return { brokers: `127.0.0.1:${options.port}`, stop: () => kafkaSh('stop', options) };
}

export function stopKafka(options: KafkaOptions): Promise<void> {
  return kafkaSh('stop', options);
}
