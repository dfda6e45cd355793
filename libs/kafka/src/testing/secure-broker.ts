import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, heraldHome } from '@herald/stack';

export interface SecureBroker {
  brokers: string;
  dir: string;
  stop: () => Promise<void>;
}

/** A KRaft broker of its own on SASL_PLAINTEXT or SSL, so the shared plaintext test broker stays as it is. */
export async function startSecureBroker(options: {
  protocol: 'SASL_PLAINTEXT' | 'SSL';
  /** Listener settings, given the broker's scratch directory (e.g. for certificate paths). */
  properties: (dir: string) => string[];
  formatArgs?: string[];
  prepare?: (dir: string) => void;
}): Promise<SecureBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-secure-broker-'));
  const classpath = `${resolve(heraldHome('test'), 'kafka/lib')}/*`;
  const [port, controllerPort] = [await freePort(), await freePort()];
  options.prepare?.(dir);
  const props = join(dir, 'server.properties');
  writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=${options.protocol}://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=${options.protocol}://127.0.0.1:${port}`,
      `inter.broker.listener.name=${options.protocol}`,
      'controller.listener.names=CONTROLLER',
      `listener.security.protocol.map=CONTROLLER:PLAINTEXT,${options.protocol}:${options.protocol}`,
      `log.dirs=${join(dir, 'data')}`,
      'num.partitions=1',
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'num.network.threads=2',
      'num.io.threads=2',
      ...options.properties(dir),
    ].join('\n'),
  );
  execFileSync(
    'java',
    [
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      // Kafka's own ids never start with '-' (the format tool would read one as an option).
      randomBytes(16).toString('base64url').replace(/^-/, 'A'),
      '-c',
      props,
      ...(options.formatArgs ?? []),
    ],
    {
      stdio: 'pipe',
    },
  );
  const broker = spawn('java', ['-Xms128m', '-Xmx384m', '-cp', classpath, 'kafka.Kafka', props], { stdio: 'ignore' });
  return {
    brokers: `127.0.0.1:${port}`,
    dir,
    stop: async () => {
      if (broker.exitCode === null) {
        broker.kill('SIGTERM');
        await new Promise((r) => broker.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
