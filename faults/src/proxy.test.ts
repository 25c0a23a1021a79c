import { type Server, createServer } from 'node:net';
import { TcpProxy } from './proxy.js';
import { freePort } from '@lic/testing';

/** A backend answering every connection with its own name. */
async function backend(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end(name));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

async function ask(port: number): Promise<{ text: string; ms: number }> {
  const { connect } = await import('node:net');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    socket.on('end', () => resolve({ text, ms: Date.now() - started }));
    socket.on('error', reject);
  });
}

describe('the suite TCP proxy (the load balancer in front of the allocation replicas)', () => {
  const servers: Server[] = [];
  let proxy: TcpProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('spreads connections round-robin, passes over a backend that refuses, and delays when told', async () => {
    const a = await backend('a');
    const b = await backend('b');
    servers.push(a.server, b.server);
    const dead = await freePort();
    proxy = new TcpProxy([
      { host: '127.0.0.1', port: a.port },
      { host: '127.0.0.1', port: dead },
      { host: '127.0.0.1', port: b.port },
    ]);
    const port = await proxy.listen();
    const answers: string[] = [];
    for (let i = 0; i < 6; i += 1) answers.push((await ask(port)).text);
    // The refusing backend's turns go to the next one: a, b, b, a, b, b.
    expect(answers).toEqual(['a', 'b', 'b', 'a', 'b', 'b']);

    // A delay long enough that an answer without it is told apart on a loaded machine too (a
    // connection through the proxy once took 511 ms in CI with no delay set).
    proxy.setDelay(1500);
    const slow = await ask(port);
    expect(slow.ms).toBeGreaterThanOrEqual(1490);
    proxy.setDelay(0);
    expect((await ask(port)).ms).toBeLessThan(1000);
  });
});
