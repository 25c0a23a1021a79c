import { type Server, type Socket, connect, createServer } from 'node:net';

export interface Backend {
  host: string;
  port: number;
}

/**
 * The operator's load balancer in front of the allocation replicas: round-robin over the
 * backends, the next backend when one refuses the connection, and an injectable delay (the
 * "slow subgraph" fault) before a new connection's bytes are passed on in either direction.
 */
export class TcpProxy {
  private server: Server | undefined;
  private next = 0;
  private delayMs = 0;
  private readonly sockets = new Set<Socket>();
  /** Connections handed to each backend, by `host:port`. */
  readonly connections = new Map<string, number>();

  constructor(private readonly backends: Backend[]) {}

  /** Every chunk, both ways, waits this long from now on (0 turns it off). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  async listen(port = 0): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.pause();
    const first = this.next;
    this.next = (this.next + 1) % this.backends.length;
    this.tryBackend(client, first, 0);
  }

  private tryBackend(client: Socket, index: number, tried: number): void {
    if (tried >= this.backends.length || client.destroyed) {
      client.destroy();
      return;
    }
    const backend = this.backends[index % this.backends.length]!;
    const upstream = connect(backend.port, backend.host);
    let connected = false;
    upstream.once('error', () => {
      if (!connected) this.tryBackend(client, index + 1, tried + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      this.sockets.add(upstream);
      upstream.once('close', () => this.sockets.delete(upstream));
      const key = `${backend.host}:${backend.port}`;
      this.connections.set(key, (this.connections.get(key) ?? 0) + 1);
      this.pipe(client, upstream);
      this.pipe(upstream, client);
      client.once('error', () => upstream.destroy());
      client.resume();
    });
  }

  /** Passes bytes on in order, each chunk after the delay current when it arrived. */
  private pipe(from: Socket, to: Socket): void {
    let chain = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const delay = this.delayMs;
      if (delay === 0) {
        chain = chain.then(() => {
          if (!to.destroyed) to.write(chunk);
        });
        return;
      }
      const due = Date.now() + delay;
      chain = chain.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.once('end', () => {
      chain = chain.then(() => {
        if (!to.destroyed) to.end();
      });
    });
    // A side gone (reset, killed) takes the other with it, once what it sent has been passed on.
    from.once('close', () => {
      chain = chain.then(() => {
        if (!to.destroyed) to.destroy();
      });
    });
  }
}
