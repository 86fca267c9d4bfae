// A TCP relay between the site and a broker that a test can break on purpose: the uplink goes down
// ('down': every connection dropped and refused), or the broker's replies stop reaching the site
// ('holdReplies': publishes still arrive and are delivered, PUBACKs never come back).
import net from 'node:net';

export type ProxyMode = 'pass' | 'down' | 'holdReplies';

export class TcpProxy {
  private mode: ProxyMode = 'pass';
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private server!: net.Server;
  port = 0;

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await proxy.listen();
    return proxy;
  }

  private constructor(private readonly targetPort: number) {}

  get url(): string { return `mqtt://127.0.0.1:${this.port}`; }

  private listen(): Promise<void> {
    this.server = net.createServer((client) => {
      if (this.mode === 'down') { client.destroy(); return; }
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('data', (d) => { if (this.mode !== 'down') upstream.write(d); });
      upstream.on('data', (d) => { if (this.mode === 'pass') client.write(d); });
      const end = () => { this.pairs.delete(pair); client.destroy(); upstream.destroy(); };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => {
      this.port = (this.server.address() as net.AddressInfo).port;
      resolve();
    }));
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'down') for (const [a, b] of this.pairs) { a.destroy(); b.destroy(); }
  }

  get connections(): number { return this.pairs.size; }

  async close(): Promise<void> {
    this.setMode('down');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
