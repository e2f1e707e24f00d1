/**
 * The websocket channel's idle(): what shutdown waits for before it closes the sockets (src/server.ts), so a frame
 * already received — still queued for its pass, or with its turn running — is answered, never dropped.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { attachWebSocket, type SocketChannel } from '../../src/channels/websocket.ts';
import type { Gateway } from '../../src/channels/gateway.ts';
import { createLimits } from '../../src/channels/limits.ts';
import type { Outgoing } from '../../src/conversation/wire.ts';
import { createLogger } from '../../src/log.ts';

let server: Server | undefined;
let channel: SocketChannel | undefined;
afterEach(async () => {
  await channel?.close();
  await new Promise((resolve) => server?.close(resolve));
  server = channel = undefined;
});

/** A gateway whose turns end only when the test says so. */
function heldGateway() {
  const held: (() => void)[] = [];
  const gateway: Gateway = {
    receive: (frame) =>
      new Promise<Outgoing[]>((resolve) => held.push(() => resolve([{ type: 'error', code: 'malformed', text: `answer to ${String(frame)}` }]))),
    shutdown: async () => undefined,
  };
  return { gateway, held };
}

async function start(gateway: Gateway): Promise<string> {
  server = createServer();
  channel = attachWebSocket(server, {
    gateway,
    limits: createLimits({ messagesPer10s: 100, conversationsPerMinute: 100, socketsPerIp: 10 }),
    isAllowedOrigin: () => true,
    ipOf: () => '127.0.0.1',
    log: createLogger('silent'),
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return `ws://127.0.0.1:${port}/`;
}

const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

describe('the websocket channel’s idle()', () => {
  it('resolves at once when no frame has come', async () => {
    await start(heldGateway().gateway);
    expect(await settledWithin(channel!.idle(), 50)).toBe(true);
  });

  it('waits for every frame received until its turn has ended and its reply is written', async () => {
    const { gateway, held } = heldGateway();
    const url = await start(gateway);
    const client = new WebSocket(url);
    await new Promise((resolve) => client.once('open', resolve));
    const replies: string[] = [];
    client.on('message', (data) => replies.push(String(data)));
    client.send('first');
    client.send('second');
    while (held.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const idle = channel!.idle();
    expect(await settledWithin(idle, 50)).toBe(false);
    held.shift()!();
    // The second frame's turn starts only after the first's (one socket's frames run in order).
    while (held.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await settledWithin(idle, 50)).toBe(false);
    held.shift()!();
    expect(await settledWithin(idle, 1000)).toBe(true);
    while (replies.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(replies.map((r) => JSON.parse(r).text)).toEqual(['answer to first', 'answer to second']);
    client.terminate();
  });
});
