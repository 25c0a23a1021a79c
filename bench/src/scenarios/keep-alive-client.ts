import { connect, type Socket } from 'node:net';

/** One answer: its status code and its whole body. */
export interface RawResponse {
  status: number;
  body: Buffer;
}

interface Waiting {
  resolve(response: RawResponse): void;
  reject(error: Error): void;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/**
 * A load generator's HTTP/1.1 connection: one keep-alive socket, one request at a time, the
 * request written as a single buffer and the answer read with a minimal parser (status line,
 * `content-length` or chunked body, `connection: close`).
 *
 * It stands where wrk or autocannon would: `node:http`'s client (ClientRequest, agent, streams)
 * cost the `logon-cycles` load generator about 0.2 ms of CPU per request, which it took from the
 * two cores the platform shares with it. A connection the server closed between requests (its
 * keep-alive timeout) is opened again on the next request; one closed while a request waits
 * fails that request, and the request is not sent again.
 */
export class KeepAliveConnection {
  private socket: Socket | undefined;
  private received: Buffer = Buffer.alloc(0);
  private waiting: Waiting | undefined;

  constructor(
    private readonly port: number,
    private readonly host = '127.0.0.1',
  ) {}

  /** Sends `head` (request line and headers, without the blank line) and `body`; answers the response. */
  send(head: string, body: string): Promise<RawResponse> {
    if (this.waiting) return Promise.reject(new Error('a request is already waiting on this connection'));
    const socket = this.socket ?? this.open();
    return new Promise<RawResponse>((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(`${head}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private open(): Socket {
    const socket = connect({ port: this.port, host: this.host, noDelay: true });
    this.socket = socket;
    this.received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
      this.parse();
    });
    const ended = (error?: Error) => {
      // A socket this side closed (answered with `connection: close`, or close()) owes nothing.
      if (this.socket !== socket) return;
      this.socket = undefined;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(error ?? new Error('the server closed the connection before answering'));
    };
    socket.on('error', ended);
    socket.on('close', () => ended());
    return socket;
  }

  private parse(): void {
    const headEnd = this.received.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.received.toString('latin1', 0, headEnd);
    const lines = head.split('\r\n');
    const status = Number(lines[0]!.split(' ')[1]);
    let length: number | undefined;
    let chunked = false;
    let closing = false;
    for (let i = 1; i < lines.length; i += 1) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.includes('chunked');
      else if (name === 'connection') closing = value === 'close';
    }
    const bodyStart = headEnd + HEAD_END.length;
    let body: Buffer;
    let consumed: number;
    if (chunked) {
      const parts: Buffer[] = [];
      let at = bodyStart;
      for (;;) {
        const sizeEnd = this.received.indexOf(CRLF, at);
        if (sizeEnd < 0) return;
        const size = parseInt(this.received.toString('latin1', at, sizeEnd), 16);
        const dataStart = sizeEnd + CRLF.length;
        if (size === 0) {
          // No trailers are expected: the last chunk ends with one empty line.
          if (this.received.length < dataStart + CRLF.length) return;
          consumed = dataStart + CRLF.length;
          break;
        }
        if (this.received.length < dataStart + size + CRLF.length) return;
        parts.push(this.received.subarray(dataStart, dataStart + size));
        at = dataStart + size + CRLF.length;
      }
      body = Buffer.concat(parts);
    } else {
      const size = length ?? 0;
      if (this.received.length < bodyStart + size) return;
      body = this.received.subarray(bodyStart, bodyStart + size);
      consumed = bodyStart + size;
    }
    this.received = this.received.subarray(consumed);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (closing) this.close();
    if (Number.isFinite(status)) waiting?.resolve({ status, body });
    else waiting?.reject(new Error(`not an HTTP answer: ${head.slice(0, 80)}`));
  }
}

/** Signs a subgraph request as the gateway would (the header to add), or nothing for a gateway. */
export type RequestSigner = (request: {
  path: string;
  authorization: string;
  body: string;
}) => Record<string, string>;

/**
 * GraphQL over one `KeepAliveConnection`: answers `data`, or fails with the first error's message
 * (or the status and body when the answer is not GraphQL).
 */
export class GraphqlConnection {
  private readonly connection: KeepAliveConnection;
  private readonly path: string;
  private readonly host: string;

  constructor(
    url: string,
    private readonly sign?: RequestSigner,
  ) {
    const parsed = new URL(url);
    this.connection = new KeepAliveConnection(Number(parsed.port), parsed.hostname);
    this.path = `${parsed.pathname}${parsed.search}`;
    this.host = parsed.host;
  }

  async post<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
    const body = JSON.stringify({ query, variables });
    const authorization = `Bearer ${token}`;
    let head = `POST ${this.path} HTTP/1.1\r\nhost: ${this.host}\r\ncontent-type: application/json\r\nauthorization: ${authorization}`;
    if (this.sign)
      for (const [name, value] of Object.entries(this.sign({ path: this.path, authorization, body })))
        head += `\r\n${name}: ${value}`;
    const { status, body: answer } = await this.connection.send(head, body);
    let parsed: { data?: T; errors?: Array<{ message: string }> };
    try {
      parsed = JSON.parse(answer.toString('utf8')) as typeof parsed;
    } catch {
      throw new Error(`HTTP ${status}: ${answer.toString('utf8').slice(0, 200)}`);
    }
    if (parsed.errors?.length) throw new Error(parsed.errors[0]!.message);
    if (status !== 200 || parsed.data === undefined) throw new Error(`HTTP ${status} without data`);
    return parsed.data;
  }

  close(): void {
    this.connection.close();
  }
}
