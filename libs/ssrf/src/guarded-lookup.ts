import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import type { AddressPolicy } from './address-policy';
import { SsrfBlockedError } from './ssrf-blocked.error';

/** Resolves a host name to every address it has (the shape of `dns.promises.lookup(h, {all: true})`). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

// No record of one family is an ordinary answer (a name with only A records); the other family may still have some.
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * Asks only these DNS servers (`ip`, `ip:port`, `[ipv6]:port`) instead of getaddrinfo (/etc/hosts, search
 * domains): for deployments with a dedicated resolver, and tests that serve their own answers.
 */
export function dnsServerResolver(
  servers: readonly string[],
  options: { timeoutMs?: number; tries?: number } = {},
): Resolver {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
  resolver.setServers([...servers]);
  const records = async (query: Promise<string[]>, family: 4 | 6): Promise<LookupAddress[]> => {
    try {
      return (await query).map((address) => ({ address, family }));
    } catch (error) {
      if (NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) return [];
      throw error;
    }
  };
  return async (hostname) => {
    const [v4, v6] = await Promise.all([
      records(resolver.resolve4(hostname), 4),
      records(resolver.resolve6(hostname), 6),
    ]);
    return [...v4, ...v6];
  };
}

/** The resolver a service uses: its configured DNS servers, or the system resolver when there are none. */
export function resolverFor(servers: readonly string[]): Resolver {
  return servers.length > 0 ? dnsServerResolver(servers) : systemResolver;
}

/**
 * A name with any refused address is refused as a whole, or a receiver could list one public and one
 * internal address and let the resolver's order pick.
 */
export async function resolveChecked(
  hostname: string,
  policy: AddressPolicy,
  resolve: Resolver,
): Promise<LookupAddress[]> {
  const addresses = await resolve(hostname);
  for (const { address } of addresses) {
    const verdict = policy.check(address);
    if (!verdict.allowed) throw new SsrfBlockedError(`${hostname} resolves to ${verdict.reason}`);
  }
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' });
  return addresses;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The socket connects to exactly the address that was checked, leaving DNS no window to answer
 * differently between check and connect (DNS rebinding).
 */
export function guardedLookup(policy: AddressPolicy, resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    resolveChecked(hostname, policy, resolve).then(
      (addresses) => {
        const wanted =
          options.family === 4 || options.family === 'IPv4'
            ? 4
            : options.family === 6 || options.family === 'IPv6'
              ? 6
              : 0;
        const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
        if (usable.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${wanted} address`), { code: 'ENOTFOUND' }), []);
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, options.all ? [] : ''),
    );
  };
}
