import { buildConnector } from 'undici';
import { parseIpLiteral, type AddressPolicy } from './address-policy';
import { guardedLookup, systemResolver, type Resolver } from './guarded-lookup';
import { SsrfBlockedError } from './ssrf-blocked.error';

export interface GuardedConnectorOptions {
  policy: AddressPolicy;
  /** Connect timeout (ms). */
  timeoutMs: number;
  resolve?: Resolver;
  /** Extra TLS options (e.g. a test CA); certificates are always verified. */
  tls?: { ca?: string | Buffer | (string | Buffer)[] };
}

/**
 * An undici `connect` that refuses addresses the policy forbids. IP literals are checked here because Node
 * skips `lookup` for them; names go through the guarded lookup.
 */
export function guardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const policy = options.policy;
  const connect = buildConnector({
    timeout: options.timeoutMs,
    rejectUnauthorized: true,
    ...(options.tls ?? {}),
    lookup: guardedLookup(policy, options.resolve ?? systemResolver),
  } as buildConnector.BuildOptions);
  return (connectOptions, callback) => {
    const literal = parseIpLiteral(connectOptions.hostname);
    if (literal) {
      const verdict = policy.check(literal.toString());
      if (!verdict.allowed) {
        callback(new SsrfBlockedError(`${connectOptions.hostname} is refused: ${verdict.reason}`), null);
        return;
      }
    }
    connect(connectOptions, callback);
  };
}
