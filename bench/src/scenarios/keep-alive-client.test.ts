import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { GraphqlConnection, KeepAliveConnection } from './keep-alive-client.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A real node:http server whose answers each test chooses; it counts the connections it accepted. */
async function serve(handler: Handler): Promise<{ port: number; connections(): number; server: Server }> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => connections, server };
}

const servers: Server[] = [];
const clients: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function started(handler: Handler) {
  const running = await serve(handler);
  servers.push(running.server);
  return running;
}

function connection(port: number): KeepAliveConnection {
  const made = new KeepAliveConnection(port);
  clients.push(made);
  return made;
}

const head = (path = '/echo') => `POST ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: text/plain`;

describe('KeepAliveConnection', () => {
  it('sends request after request on one socket and reads each whole answer', async () => {
    const { port, connections } = await started((_req, body, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`you said ${body}`);
    });
    const client = connection(port);
    const answers: string[] = [];
    for (const word of ['one', 'twö', 'x'.repeat(100_000)]) {
      const { status, body } = await client.send(head(), word);
      expect(status).toBe(200);
      answers.push(body.toString('utf8'));
    }
    expect(answers.slice(0, 2)).toEqual(['you said one', 'you said twö']);
    expect(answers[2]).toHaveLength('you said '.length + 100_000);
    expect(connections()).toBe(1);
  });

  it('reads a chunked answer written in several parts', async () => {
    const { port } = await started((_req, _body, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.write('{"part":');
      setTimeout(() => res.end('"two"}'), 20);
    });
    const client = connection(port);
    const first = await client.send(head(), 'a');
    const second = await client.send(head(), 'b');
    expect(first.status).toBe(201);
    expect(JSON.parse(first.body.toString('utf8'))).toEqual({ part: 'two' });
    expect(second.body.toString('utf8')).toBe('{"part":"two"}');
  });

  it('opens a new socket after the server closed the last one', async () => {
    const { port, connections } = await started((_req, body, res) => {
      res.setHeader('connection', 'close');
      res.end(body);
    });
    const client = connection(port);
    expect((await client.send(head(), 'first')).body.toString()).toBe('first');
    expect((await client.send(head(), 'second')).body.toString()).toBe('second');
    expect(connections()).toBe(2);
  });

  it('fails the waiting request when the server drops the connection, and still serves the next', async () => {
    let calls = 0;
    const { port } = await started((req, body, res) => {
      calls += 1;
      if (calls === 1) req.socket.destroy();
      else res.end(body);
    });
    const client = connection(port);
    await expect(client.send(head(), 'lost')).rejects.toThrow('closed the connection before answering');
    expect((await client.send(head(), 'kept')).body.toString()).toBe('kept');
  });

  it('refuses a second request while one is waiting', async () => {
    const { port } = await started((_req, body, res) => setTimeout(() => res.end(body), 20));
    const client = connection(port);
    const first = client.send(head(), 'first');
    await expect(client.send(head(), 'second')).rejects.toThrow('already waiting');
    expect((await first).body.toString()).toBe('first');
  });
});

describe('GraphqlConnection', () => {
  it('answers data, sends the token and the signer’s headers, and fails with the first GraphQL error', async () => {
    const seen: Array<{ authorization?: string; signature?: string; path?: string }> = [];
    const { port } = await started((req, body, res) => {
      seen.push({
        authorization: req.headers.authorization,
        signature: req.headers['x-test-signature'] as string | undefined,
        path: req.url,
      });
      const { variables } = JSON.parse(body) as { variables: { fail?: boolean } };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(variables.fail ? { errors: [{ message: 'refused' }] } : { data: { ok: true } }));
    });
    const signed = new GraphqlConnection(`http://127.0.0.1:${port}/graphql?x=1`, ({ path, body }) => ({
      'x-test-signature': `${path}:${body.length}`,
    }));
    clients.push(signed);
    expect(await signed.post('{ ok }', {}, 'token-1')).toEqual({ ok: true });
    await expect(signed.post('{ ok }', { fail: true }, 'token-1')).rejects.toThrow('refused');
    expect(seen[0]).toEqual({
      authorization: 'Bearer token-1',
      signature: `/graphql?x=1:${JSON.stringify({ query: '{ ok }', variables: {} }).length}`,
      path: '/graphql?x=1',
    });
  });

  it('fails with the status and body when the answer is not GraphQL', async () => {
    const { port } = await started((_req, _body, res) => {
      res.statusCode = 502;
      res.end('bad gateway');
    });
    const client = new GraphqlConnection(`http://127.0.0.1:${port}/graphql`);
    clients.push(client);
    await expect(client.post('{ ok }', {}, 't')).rejects.toThrow('HTTP 502: bad gateway');
  });
});
