import { Agent, createServer, request, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exitOnSignals, runShutdown, trackHttp } from './shutdown.js';

function get(port: number, path: string): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ...(res.headers.connection ? { connection: res.headers.connection } : {}),
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const logs: string[] = [];
const logger = {
  info: (_: Record<string, unknown>, message: string) => void logs.push(message),
  warn: (_: Record<string, unknown>, message: string) => void logs.push(message),
  error: (_: Record<string, unknown>, message: string) => void logs.push(message),
};

describe('HTTP drain', () => {
  let server: Server;
  let port: number;
  beforeEach(async () => {
    server = createServer();
    const drain = trackHttp(server);
    server.on('request', (req, res) => {
      const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
      setTimeout(() => res.end(`slept ${ms}`), ms).unref();
    });
    (server as Server & { drainer?: typeof drain }).drainer = drain;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    if (!server.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const drainer = () => (server as Server & { drainer: ReturnType<typeof trackHttp> }).drainer;
  // Listeners run in the order added: once this one runs, the drain (added first) has counted it.
  const requestArrived = () => new Promise<void>((resolve) => server.once('request', () => resolve()));

  it('lets a request in flight finish (Connection: close) and refuses new connections', async () => {
    const arrived = requestArrived();
    const slow = get(port, '/?ms=300');
    await arrived;
    expect(drainer().inFlight).toBe(1);
    const drained = drainer().drain(2000);
    await expect(get(port, '/')).rejects.toThrow(/ECONNREFUSED/);
    expect(await slow).toEqual({ status: 200, connection: 'close', body: 'slept 300' });
    expect(await drained).toEqual({ graceful: true, waitedFor: 1, cut: 0 });
  });

  it('cuts what is still running when the grace is over', async () => {
    const arrived = requestArrived();
    const slow = get(port, '/?ms=5000');
    await arrived;
    const started = performance.now();
    expect(await drainer().drain(200)).toEqual({ graceful: false, waitedFor: 1, cut: 1 });
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(slow).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('keeps an idle kept-alive connection open for the linger: a request written onto it is answered, not reset', async () => {
    const own = createServer();
    const drain = trackHttp(own, 400);
    own.on('request', (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', () => resolve()));
    const ownPort = (own.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = () =>
      new Promise<{ status: number; connection?: string; reused: boolean }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: ownPort, path: '/', agent }, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              ...(res.headers.connection ? { connection: res.headers.connection } : {}),
              reused: req.reusedSocket,
            }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await send()).toEqual({ status: 200, connection: 'keep-alive', reused: false });
      const started = performance.now();
      const drained = drain.drain(3000);
      // Written onto the idle kept-alive connection after the drain began: answered, then closed.
      await new Promise((r) => setTimeout(r, 50));
      expect(await send()).toEqual({ status: 200, connection: 'close', reused: true });
      expect(await drained).toEqual({ graceful: true, waitedFor: 0, cut: 0 });
      expect(performance.now() - started).toBeLessThan(2000);
      // An idle connection no request comes to is closed once idle for the linger.
      const second = createServer();
      const secondDrain = trackHttp(second, 400);
      second.on('request', (_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => second.listen(0, '127.0.0.1', () => resolve()));
      const secondPort = (second.address() as AddressInfo).port;
      const idle = new Agent({ keepAlive: true });
      await new Promise<void>((resolve, reject) =>
        request({ host: '127.0.0.1', port: secondPort, path: '/', agent: idle }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end(),
      );
      const t0 = performance.now();
      expect(await secondDrain.drain(3000)).toEqual({ graceful: true, waitedFor: 0, cut: 0 });
      const took = performance.now() - t0;
      expect(took).toBeGreaterThanOrEqual(300);
      expect(took).toBeLessThan(2000);
      idle.destroy();
    } finally {
      agent.destroy();
    }
  });
});

describe('shutdown', () => {
  it('logs one line per phase and goes on past a failing one', async () => {
    logs.length = 0;
    const ran: string[] = [];
    await runShutdown(logger, [
      { name: 'one', run: async () => void ran.push('one') },
      {
        name: 'two',
        run: async () => {
          throw new Error('boom');
        },
      },
      { name: 'three', run: async () => void ran.push('three') },
    ]);
    expect(ran).toEqual(['one', 'three']);
    expect(logs).toEqual(['shutdown: one', 'shutdown: two failed', 'shutdown: three', 'shutdown: done']);
  });

  it('on a signal stops then exits 0; a second signal exits at once', async () => {
    const exits: number[] = [];
    let finish: () => void = () => undefined;
    const remove = exitOnSignals({
      logger,
      graceMs: 1000,
      signals: ['SIGUSR2'],
      exit: (code) => void exits.push(code),
      stop: () => new Promise<void>((resolve) => (finish = resolve)),
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(exits).toEqual([]);
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(exits).toEqual([143]);
      finish();
      await new Promise((r) => setImmediate(r));
      expect(exits).toEqual([143, 0]);
    } finally {
      remove();
    }
  });

  it('exits 1 when the stop overruns its bound', async () => {
    const exits: number[] = [];
    const remove = exitOnSignals({
      logger,
      graceMs: 50,
      marginMs: 50,
      signals: ['SIGUSR2'],
      exit: (code) => void exits.push(code),
      stop: () => new Promise<void>(() => undefined),
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await new Promise((r) => setTimeout(r, 200));
      expect(exits).toEqual([1]);
    } finally {
      remove();
    }
  });
});
