/**
 * Open HTTP connections are bounded per peer address (MAX_CONNECTIONS_PER_IP, not counted behind TRUST_PROXY) and
 * in all (MAX_CONNECTIONS); a request whose head or body trickles in is cut off at headersTimeout / requestTimeout
 * instead of holding its connection for minutes.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { HTTP_TIMEOUTS } from '../../src/http/connections.ts';
import { removeDataDir, startTestServer } from '../support/server.ts';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
const servers: TestServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const server of servers.splice(0)) {
    await server.close();
    removeDataDir(server.dataDir);
  }
});

async function start(env: Record<string, string>, options: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  const server = await startTestServer(env, options);
  servers.push(server);
  return server;
}

interface Connection {
  socket: Socket;
  /** Everything the server wrote until it closed the connection. */
  closed: Promise<string>;
}

function open(port: number, localAddress = '127.0.0.1'): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    sockets.push(socket);
    let received = '';
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<string>((done) => socket.once('close', () => done(received)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** One keep-alive GET /healthz on the connection; resolves with the status, or undefined if the server closed it. */
function healthz(c: Connection): Promise<number | undefined> {
  return new Promise((resolve) => {
    let received = '';
    const onData = (d: Buffer) => {
      received += d.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status && received.includes('\r\n\r\n')) {
        c.socket.off('data', onData);
        resolve(Number(status[1]));
      }
    };
    c.socket.on('data', onData);
    void c.closed.then(() => resolve(undefined));
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: bot\r\n\r\n');
  });
}

describe('open connections per client address', () => {
  it('defaults: 50 per IP, 12,000 in all; per IP at least MAX_SOCKETS_PER_IP unless TRUST_PROXY', () => {
    expect(loadConfig({}).connections).toEqual({ max: 12_000, perIp: 50 });
    expect(() => loadConfig({ MAX_SOCKETS_PER_IP: '30', MAX_CONNECTIONS_PER_IP: '20' })).toThrow(/MAX_CONNECTIONS_PER_IP: must be at least MAX_SOCKETS_PER_IP/);
    expect(loadConfig({ MAX_SOCKETS_PER_IP: '30', MAX_CONNECTIONS_PER_IP: '20', TRUST_PROXY: 'true' }).connections.perIp).toBe(20);
  });

  it('the N+1-th connection from one address is closed unanswered; another address still gets in; a freed slot is reusable', async () => {
    const server = await start({ MAX_CONNECTIONS_PER_IP: '3', MAX_SOCKETS_PER_IP: '2' });
    const held = await Promise.all([1, 2, 3].map(() => open(server.port)));
    for (const c of held) expect(await healthz(c)).toBe(200);

    const refused = await open(server.port);
    expect(await healthz(refused)).toBeUndefined();
    expect(await refused.closed).toBe('');

    const neighbour = await open(server.port, '127.0.0.2');
    expect(await healthz(neighbour)).toBe(200);

    held[0]!.socket.destroy();
    await held[0]!.closed;
    await expect.poll(async () => healthz(await open(server.port)), { timeout: 2000, interval: 50 }).toBe(200);
  });

  it('websockets count too: with the slots taken by sockets, a page request from that address is refused', async () => {
    const server = await start({ MAX_CONNECTIONS_PER_IP: '2', MAX_SOCKETS_PER_IP: '2' });
    const { TestSocket } = await import('../support/server.ts');
    const ws = await Promise.all([1, 2].map(() => TestSocket.open(server.wsUrl)));
    expect(await healthz(await open(server.port))).toBeUndefined();
    await Promise.all(ws.map((w) => w.close()));
  });

  it('behind a trusted proxy the proxy\'s address is not capped (websockets are still counted per client)', async () => {
    const server = await start({ TRUST_PROXY: 'true', MAX_CONNECTIONS_PER_IP: '2', MAX_SOCKETS_PER_IP: '2' });
    const many = await Promise.all([1, 2, 3, 4, 5].map(() => open(server.port)));
    for (const c of many) expect(await healthz(c)).toBe(200);
  });

  it('MAX_CONNECTIONS bounds the total, whatever the address', async () => {
    const server = await start({ MAX_CONNECTIONS: '2' });
    expect(server.server.maxConnections).toBe(2);
    const held = await Promise.all([open(server.port), open(server.port, '127.0.0.2')]);
    for (const c of held) expect(await healthz(c)).toBe(200);
    expect(await healthz(await open(server.port, '127.0.0.3'))).toBeUndefined();
  });
});

describe('slow requests', () => {
  const short = { headersTimeoutMs: 500, requestTimeoutMs: 1000, checkIntervalMs: 100 };

  it('the server runs with a 10 s head and 20 s request timeout, checked every 2 s', async () => {
    expect(HTTP_TIMEOUTS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 20_000, checkIntervalMs: 2_000 });
    const server = await start({});
    expect(server.server.headersTimeout).toBe(10_000);
    expect(server.server.requestTimeout).toBe(20_000);
  });

  /** Writes `head` at once, then `body` a byte every 50 ms; resolves with what the server answered and when it closed. */
  async function trickle(port: number, head: string, body: string) {
    const c = await open(port);
    const t0 = Date.now();
    c.socket.write(head);
    let closedAt = 0;
    const answer = c.closed.then((received) => {
      closedAt = Date.now() - t0;
      return received;
    });
    const bytes = [...head, ...body];
    const timer = setInterval(() => {
      const next = bytes.shift();
      if (next === undefined || c.socket.destroyed) return clearInterval(timer);
      c.socket.write(next);
    }, 50);
    const received = await Promise.race([answer, new Promise<undefined>((resolve) => setTimeout(resolve, 5000))]);
    clearInterval(timer);
    return { received, closedAt };
  }

  it('a body trickled a byte at a time is cut off at requestTimeout with 408', async () => {
    const server = await start({}, { httpTimeouts: short });
    const body = JSON.stringify({ type: 'hello' }).padEnd(1000, ' ');
    const head = `POST /api/messages HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { received, closedAt } = await trickle(server.port, head, body);
    expect(received, 'connection still open after 5 s').toBeDefined();
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    // The head arrived at once: it is the body's pace that ran out the 1 s request timeout.
    expect(closedAt).toBeGreaterThanOrEqual(900);
    expect(closedAt).toBeLessThan(2500);
  });

  it('a request head trickled a byte at a time is cut off at headersTimeout', async () => {
    const server = await start({}, { httpTimeouts: short });
    const head = `GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`;
    const { received, closedAt } = await trickle(server.port, '', head);
    expect(received, 'connection still open after 5 s').toBeDefined();
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAt).toBeLessThan(1500);
  });
});
