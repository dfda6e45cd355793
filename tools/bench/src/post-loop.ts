import { Agent, request } from 'undici';
import { signStandardWebhook, WebhookSigner } from '@herald/signing';
import { PairChecksum } from './delivery-ledger';
import { benchEvent, webhookBody } from './payload';
import { eventIdFor } from './receiver-fleet';

export interface PostLoopTarget {
  key: string;
  url: string;
  secret: string;
}

export interface PostLoopOptions {
  phase: string;
  targets: PostLoopTarget[];
  bodyBytes: number;
  concurrency: number;
  durationMs: number;
}

export interface PostLoopResult {
  sent: number;
  checksum: number;
  failed: number;
}

/**
 * The baseline: the same work the deliverer does per delivery, minus Kafka — build the body,
 * sign it (Standard Webhooks + compatibility header), POST it over a pooled keep-alive undici
 * Agent sized like the deliverer's, read the answer — as fast as `concurrency` loops can.
 */
export async function runPostLoop(options: PostLoopOptions): Promise<PostLoopResult> {
  const agent = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 10_000 });
  const signers = new Map(options.targets.map((t) => [t.key, [new WebhookSigner(t.secret)]]));
  const sent = new PairChecksum();
  let failed = 0;
  let seq = 0;
  const deadline = performance.now() + options.durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const n = seq++;
      const target = options.targets[n % options.targets.length];
      const eventId = eventIdFor(options.phase, Math.floor(n / options.targets.length));
      const body = webhookBody(benchEvent(eventId, n, 'bench-baseline', options.bodyBytes));
      const headers = signStandardWebhook(signers.get(target.key)!, eventId, new Date(), body);
      try {
        const response = await request(target.url, {
          method: 'POST',
          headers: { ...headers, 'user-agent': 'Herald-bench-baseline', 'content-type': 'application/json' },
          body,
          dispatcher: agent,
        });
        await response.body.text();
        if (response.statusCode === 200) sent.add(eventId, target.key);
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  await agent.close();
  return { sent: sent.count, checksum: sent.value, failed };
}
