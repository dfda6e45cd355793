import { AddressPolicy, parseIpLiteral } from './address-policy';
import { resolveChecked, systemResolver, type Resolver } from './guarded-lookup';
import { SsrfBlockedError } from './ssrf-blocked.error';

export interface PublicUrlOptions {
  /** Allow-listed CIDR ranges, or a prepared policy. */
  allow?: readonly string[] | AddressPolicy;
  resolve?: Resolver;
  /**
   * What to do when the name does not resolve now: `accept` (the default; the send-time guard
   * checks again before every connection) or `refuse`.
   */
  unresolvable?: 'accept' | 'refuse';
}

const NOT_FOUND = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'ESERVFAIL', 'EAI_FAIL']);

/**
 * Creation-time check of a webhook URL; throws SsrfBlockedError naming what is wrong. WHATWG parsing turns
 * decimal, octal and hex IPv4 spellings (`http://2130706433/`) into the address they are.
 */
export async function assertPublicUrl(url: string, options: PublicUrlOptions = {}): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SsrfBlockedError('url must be an absolute http:// or https:// URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SsrfBlockedError(`url must use http or https, not ${parsed.protocol.slice(0, -1)}`);
  }
  if (parsed.username || parsed.password) throw new SsrfBlockedError('url must not contain credentials');
  const policy = options.allow instanceof AddressPolicy ? options.allow : new AddressPolicy(options.allow ?? []);
  const literal = parseIpLiteral(parsed.hostname);
  if (literal) {
    const verdict = policy.check(literal.toString());
    if (!verdict.allowed) throw new SsrfBlockedError(`url host ${verdict.reason}`);
    return parsed;
  }
  try {
    await resolveChecked(parsed.hostname, policy, options.resolve ?? systemResolver);
  } catch (error) {
    if (error instanceof SsrfBlockedError) throw new SsrfBlockedError(`url host ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (options.unresolvable === 'refuse' || !NOT_FOUND.has(code)) {
      throw new SsrfBlockedError(`url host ${parsed.hostname} could not be resolved (${code || 'error'})`);
    }
  }
  return parsed;
}
