import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { AddressPolicy } from './address-policy';
import { SsrfBlockedError } from './ssrf-blocked.error';

/** Resolves a host name to every address it has (the shape of `dns.promises.lookup(h, {all: true})`). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/**
 * Resolves a name and checks every address it resolves to. A name with any refused address is
 * refused as a whole: otherwise a receiver could list one public and one internal address and
 * let the resolver's order pick.
 */
export async function resolveChecked(hostname: string, policy: AddressPolicy, resolve: Resolver): Promise<LookupAddress[]> {
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
 * A `lookup` for `net.connect`/`tls.connect`: the socket connects to exactly the address that
 * was checked, so there is no window between the check and the connect in which DNS could
 * answer differently (DNS rebinding).
 */
export function guardedLookup(policy: AddressPolicy, resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    resolveChecked(hostname, policy, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
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
