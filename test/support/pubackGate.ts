// A TCP relay between the site and a broker that reads the MQTT packets going through it: it counts the
// site's QoS 1 publishes whose PUBACK the site has not yet received, and holds the broker's PUBACKs until
// the test releases them. So a test sees exactly how many messages the site has unacknowledged at once.
import net from 'node:net';

/** Splits a byte stream into whole MQTT packets (fixed header + remaining length). */
class PacketSplitter {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      let remaining = 0;
      let i = 1;
      for (let mult = 1; ; mult *= 128, i++) {
        if (i >= this.buf.length) return out; // length not complete yet
        remaining += (this.buf[i]! & 0x7f) * mult;
        if ((this.buf[i]! & 0x80) === 0) break;
      }
      const total = i + 1 + remaining;
      if (this.buf.length < total) return out;
      out.push(this.buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
    }
  }
}

/** Offset of the variable header: after the type byte and the remaining-length bytes. */
function bodyStart(packet: Buffer): number {
  let i = 1;
  while (packet[i]! & 0x80) i++;
  return i + 1;
}

const PUBLISH = 3;
const PUBACK = 4;

export class PubackGate {
  /** Packet ids of the site's QoS 1 publishes (not the online topic) whose PUBACK the site has not had. */
  readonly unacked = new Set<number>();
  /** The most `unacked` ever held at once. */
  maxUnacked = 0;
  /** QoS 1 publishes (not the online topic) seen from the site, repeats included. */
  publishes = 0;
  private readonly held: Array<{ id: number; packet: Buffer; to: net.Socket }> = [];
  private holding = true;
  private readonly sockets = new Set<net.Socket>();
  private server!: net.Server;
  port = 0;

  static async start(targetPort: number): Promise<PubackGate> {
    const gate = new PubackGate(targetPort);
    await new Promise<void>((resolve) => {
      gate.server = net.createServer((site) => gate.relay(site));
      gate.server.listen(0, '127.0.0.1', () => resolve());
    });
    gate.port = (gate.server.address() as net.AddressInfo).port;
    return gate;
  }

  private constructor(private readonly targetPort: number) {}

  get url(): string { return `mqtt://127.0.0.1:${this.port}`; }
  get heldCount(): number { return this.held.length; }

  private relay(site: net.Socket): void {
    const broker = net.connect(this.targetPort, '127.0.0.1');
    this.sockets.add(site).add(broker);
    const up = new PacketSplitter();
    const down = new PacketSplitter();
    site.on('data', (chunk) => {
      for (const p of up.push(chunk)) {
        if (p[0]! >> 4 === PUBLISH && ((p[0]! >> 1) & 3) === 1) {
          const at = bodyStart(p);
          const topicLength = p.readUInt16BE(at);
          const topic = p.subarray(at + 2, at + 2 + topicLength).toString();
          if (!topic.endsWith('/online')) {
            this.publishes++;
            this.unacked.add(p.readUInt16BE(at + 2 + topicLength));
            this.maxUnacked = Math.max(this.maxUnacked, this.unacked.size);
          }
        }
        broker.write(p);
      }
    });
    broker.on('data', (chunk) => {
      for (const p of down.push(chunk)) {
        const id = p[0]! >> 4 === PUBACK ? p.readUInt16BE(bodyStart(p)) : undefined;
        if (id !== undefined && this.unacked.has(id) && this.holding) this.held.push({ id, packet: p, to: site });
        else this.deliver(site, p, id);
      }
    });
    const end = () => { site.destroy(); broker.destroy(); this.sockets.delete(site); this.sockets.delete(broker); };
    site.on('close', end).on('error', end);
    broker.on('close', end).on('error', end);
  }

  private deliver(to: net.Socket, packet: Buffer, pubackId?: number): void {
    if (pubackId !== undefined) this.unacked.delete(pubackId);
    if (!to.destroyed) to.write(packet);
  }

  /** Passes the oldest held PUBACK on to the site. */
  releaseOne(): boolean {
    const next = this.held.shift();
    if (!next) return false;
    this.deliver(next.to, next.packet, next.id);
    return true;
  }

  /** Stops holding: every PUBACK (held and later) goes through. */
  open(): void {
    this.holding = false;
    while (this.releaseOne()) { /* all of them */ }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
