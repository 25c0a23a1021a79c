import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { serveBareProxy } from './bare-proxy.js';
import { KeepAliveConnection } from './keep-alive-client.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  socket: number;
}

const servers: Server[] = [];
const connections: KeepAliveConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const portOf = (server: Server) => (server.address() as AddressInfo).port;

/** A real upstream that records what reached it and answers 201 with a body naming the request. */
async function upstream(): Promise<{ server: Server; seen: Seen[] }> {
  const seen: Seen[] = [];
  let sockets = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const socket = ((req.socket as unknown as { benchId?: number }).benchId ??= ++sockets);
      seen.push({ method: req.method, url: req.url, headers: req.headers, body, socket });
      res.writeHead(201, { 'content-type': 'application/graphql-response+json', 'x-dropped': 'yes' });
      res.end(JSON.stringify({ data: { echo: body } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { server, seen };
}

async function proxyTo(url: string): Promise<KeepAliveConnection> {
  const proxy = await serveBareProxy(url);
  servers.push(proxy);
  const connection = new KeepAliveConnection(portOf(proxy));
  connections.push(connection);
  return connection;
}

describe('bare proxy (the floor under a gateway in logon-cycles)', () => {
  it('forwards the body, path and the client’s headers, and answers with the upstream’s status and body', async () => {
    const { server, seen } = await upstream();
    const connection = await proxyTo(`http://127.0.0.1:${portOf(server)}/graphql`);
    const body = JSON.stringify({ query: '{ a }', variables: { é: 'ü' } });
    const answer = await connection.send(
      'POST /graphql HTTP/1.1\r\nhost: proxy\r\ncontent-type: application/json\r\nauthorization: Bearer t\r\nx-gateway-signature: s1',
      body,
    );
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ data: { echo: body } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/graphql', body });
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer t',
      'x-gateway-signature': 's1',
      'content-type': 'application/json',
      host: `127.0.0.1:${portOf(server)}`,
      'content-length': String(Buffer.byteLength(body)),
    });
  });

  it('holds its upstream connection open: many requests, one after another, share one socket', async () => {
    const { server, seen } = await upstream();
    const connection = await proxyTo(`http://127.0.0.1:${portOf(server)}/graphql`);
    for (let i = 0; i < 20; i += 1) {
      const answer = await connection.send('POST /graphql HTTP/1.1\r\nhost: proxy', `{"n":${i}}`);
      expect(answer.status).toBe(201);
    }
    expect(seen.map((s) => s.body)).toEqual(Array.from({ length: 20 }, (_, i) => `{"n":${i}}`));
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const { server } = await upstream();
    const port = portOf(server);
    servers.splice(servers.indexOf(server), 1);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const connection = await proxyTo(`http://127.0.0.1:${port}/graphql`);
    const answer = await connection.send('POST /graphql HTTP/1.1\r\nhost: proxy', '{}');
    expect(answer.status).toBe(502);
    expect(answer.body.toString('utf8')).toMatch(/^bare proxy: .*ECONNREFUSED/);
  });
});
