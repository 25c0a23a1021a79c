import { type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A TCP proxy a test puts between a process and a shared dependency (MariaDB, Redis), so that it
 * can take the dependency away from that process alone: `stop` refuses connections and cuts the
 * open ones (as a dependency that went down), `pause` holds every byte in flight (as one that
 * hangs), `start` and `resume` undo them. The shared servers themselves are never touched.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private paused = false;
  private readonly held: Array<() => void> = [];

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.start();
    return proxy;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
  }

  /** Refuses new connections and cuts those open. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.held.splice(0);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Holds every byte from now on (both ways) until `resume`. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const send of this.held.splice(0)) send();
  }

  private accept(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const forward = (from: Socket, to: Socket) => {
      from.on('data', (chunk: Buffer) => {
        const send = () => {
          if (!to.destroyed) to.write(chunk);
        };
        if (this.paused || this.held.length > 0) this.held.push(send);
        else send();
      });
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    };
    forward(client, upstream);
    forward(upstream, client);
  }
}

/**
 * A TCP load balancer in front of replicas (as a Kubernetes Service or HAProxy would be): each
 * connection goes to the next replica that accepts it, round robin; a replica that refuses
 * (stopping, or down) is skipped. It never retries a connection once it has been forwarded.
 */
export class RoundRobinProxy {
  private next = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly targets: number[],
    readonly port: number,
  ) {}

  static async start(targets: number[]): Promise<RoundRobinProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const proxy = new RoundRobinProxy(
      server,
      targets,
      typeof address === 'object' && address ? address.port : 0,
    );
    server.on('connection', (client: Socket) => proxy.accept(client));
    return proxy;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.pause();
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    const start = this.next;
    this.next = (this.next + 1) % this.targets.length;
    const attempt = (tried: number) => {
      if (tried === this.targets.length || client.destroyed) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targets[(start + tried) % this.targets.length]!, '127.0.0.1');
      upstream.once('error', () => attempt(tried + 1));
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        this.sockets.add(upstream);
        upstream.once('close', () => {
          this.sockets.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => client.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  }
}
