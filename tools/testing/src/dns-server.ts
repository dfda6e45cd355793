import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';
import { dnsServerResolver, type Resolver } from '@herald/ssrf';

const A = 1;
const AAAA = 28;

/**
 * A loopback DNS server answering A/AAAA from a per-name queue (the last answer repeats), so an SSRF test can
 * make a name change its answer between two resolutions. Other names and types get an empty answer.
 */
export class LoopbackDnsServer {
  /** Every query received, in order: `<name> <type>`. */
  readonly queries: string[] = [];
  private readonly answers = new Map<string, Map<number, string[][]>>();
  private socket!: Socket;

  /**
   * `sequence[i]` is the list of addresses given for the i-th resolution of `name`: its IPv4
   * addresses as A records, its IPv6 ones as AAAA records.
   */
  answer(name: string, ...sequence: string[][]): void {
    this.answers.set(
      name.toLowerCase(),
      new Map([
        [A, sequence.map((step) => step.filter((address) => !isIPv6(address)))],
        [AAAA, sequence.map((step) => step.filter((address) => isIPv6(address)))],
      ]),
    );
  }

  async start(): Promise<this> {
    this.socket = createSocket('udp4');
    this.socket.on('message', (query, peer) => {
      const reply = this.reply(query);
      if (reply) this.socket.send(reply, peer.port, peer.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return this;
  }

  get address(): string {
    return `127.0.0.1:${this.socket.address().port}`;
  }

  /** A resolver asking only this server: what a service configured with `DNS_SERVERS=<address>` uses. */
  resolver(): Resolver {
    return dnsServerResolver([this.address], { timeoutMs: 1000, tries: 1 });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private reply(query: Buffer): Buffer | null {
    if (query.length < 17) return null;
    const labels: string[] = [];
    let offset = 12;
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset];
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += length + 1;
    }
    const questionEnd = offset + 5; // zero label, QTYPE, QCLASS
    if (questionEnd > query.length) return null;
    const name = labels.join('.').toLowerCase();
    const type = query.readUInt16BE(offset + 1);
    this.queries.push(`${name} ${type === A ? 'A' : type === AAAA ? 'AAAA' : type}`);
    const queue = this.answers.get(name)?.get(type) ?? [];
    const addresses = queue.length > 1 ? queue.shift()! : (queue[0] ?? []);

    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180, 2); // response, recursion desired + available, no error
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(addresses.length, 6);
    const records = addresses.map((address) => {
      const data = Buffer.from(ipaddr.parse(address).toByteArray());
      const record = Buffer.alloc(12 + data.length);
      record.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      record.writeUInt16BE(type, 2);
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(0, 6); // TTL 0: never cached
      record.writeUInt16BE(data.length, 10);
      data.copy(record, 12);
      return record;
    });
    return Buffer.concat([header, query.subarray(12, questionEnd), ...records]);
  }
}
