import { createSocket, type Socket } from 'node:dgram';
import { promises as dns } from 'node:dns';

/**
 * A tiny authoritative DNS server on loopback (UDP) for SSRF tests: answers A queries from a
 * per-name queue of answers (the last one repeats), so a test can make a name change its
 * answer between two lookups. Other names and types get an empty answer.
 */
export class LoopbackDnsServer {
  /** Every query received, in order: `<name> <type>`. */
  readonly queries: string[] = [];
  private readonly answers = new Map<string, string[][]>();
  private socket!: Socket;

  /** `sequence[i]` is the list of IPv4 addresses given for the i-th A query of `name`. */
  answer(name: string, ...sequence: string[][]): void {
    this.answers.set(name.toLowerCase(), sequence);
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

  /** A resolver (the shape `@herald/ssrf` takes) that asks only this server. */
  resolver(): (hostname: string) => Promise<{ address: string; family: number }[]> {
    const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
    resolver.setServers([this.address]);
    return async (hostname) => (await resolver.resolve4(hostname)).map((address) => ({ address, family: 4 }));
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
    this.queries.push(`${name} ${type === 1 ? 'A' : type === 28 ? 'AAAA' : type}`);
    let addresses: string[] = [];
    const queue = this.answers.get(name);
    if (type === 1 && queue && queue.length > 0) addresses = queue.length > 1 ? queue.shift()! : queue[0];

    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180, 2); // response, recursion desired + available, no error
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(addresses.length, 6);
    const records = addresses.map((address) => {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      record.writeUInt16BE(1, 2); // A
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(0, 6); // TTL 0: never cached
      record.writeUInt16BE(4, 10);
      address.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
      return record;
    });
    return Buffer.concat([header, query.subarray(12, questionEnd), ...records]);
  }
}
