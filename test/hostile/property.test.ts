/**
 * Property tests (fast-check): random JSON values and strings thrown at the gateway's receive (both
 * its websocket path, raw text, and its webhook path, parsed values) and at the real websocket. No
 * exception escapes, every reply conforms to protocol.md, and a bound conversation never changes.
 */
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { createTranslate } from '../../src/conversation/i18n.ts';
import { createConversationService } from '../../src/conversation/service.ts';
import { newReference } from '../../src/conversation/reference.ts';
import { openSqliteStore } from '../../src/storage/sqlite.ts';
import { createSessionIds } from '../../src/channels/sessions.ts';
import { createLimits } from '../../src/channels/limits.ts';
import { createConversationDirectory } from '../../src/channels/directory.ts';
import { createBotkitEngine } from '../../src/channels/botkit/engine.ts';
import { createGateway, type Binding, type Gateway } from '../../src/channels/gateway.ts';
import { conversationTurns } from '../../src/channels/turn-engine.ts';
import { removeDataDir, startTestServer, tempDataDir } from '../support/server.ts';
import { assertProtocol } from '../support/protocol.ts';
import { Client } from './helpers.ts';

import { loadConfig } from '../../src/config.ts';

const data = loadDataOrThrow();

const t = createTranslate(data.resources);
const site = {
  mail: { domain: 'owari.ne.jp', displayName: 'x', incoming: { protocol: 'pop3' as const, host: 'mail.owari.ne.jp', port: 110, tls: 'none' as const }, outgoing: { protocol: 'smtp' as const, host: 'mail.owari.ne.jp', port: 587, tls: 'none' as const, auth: true } },
  contact: loadConfig({}).contact,
  rentalServerUrl: 'https://www.owari.ne.jp/support/rental/',
  manualBaseUrl: 'https://www.owari.ne.jp/support/mail/',
  publicBaseUrl: 'http://localhost:3000',
};

/** Frames shaped like the protocol, with every field drawn from good, bad and hostile values. */
const field = fc.oneof(
  fc.constantFrom('hello', 'welcome_back', 'message', 'shutdown', 'event', 'conversationUpdate', '__proto__', 'ja', 'en', 'yes', 'no', 'restart', 'back', '戻る', 'はい', ''),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const shapedFrame = fc.record(
  { type: field, user: field, text: field, lang: field, channel: field, botkitEventType: field },
  { requiredKeys: [] },
);
const anyValue = fc.oneof(shapedFrame, fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 }));
const anyText = fc.oneof(
  anyValue.map((v) => {
    try {
      return JSON.stringify(v) ?? 'undefined';
    } catch {
      return '{}';
    }
  }),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 2 }),
);

describe('gateway.receive', () => {
  let gateway: Gateway;
  let dataDir: string;
  let store: ReturnType<typeof openSqliteStore>;
  /** The ids the gateway checked, in order (the widget sends its id with every message). */
  const verified: unknown[] = [];

  beforeAll(() => {
    dataDir = tempDataDir();
    store = openSqliteStore(dataDir, 3600);
    const directory = createConversationDirectory();
    const service = createConversationService({
      deps: { bundle: data.bundle, lexicon: data.lexicon, t, now: Date.now, site },
      store,
      newReference,
      observe: directory.observe,
    });
    const sessions = createSessionIds('p'.repeat(32));
    const turns = conversationTurns({ service, directory, t, log: pino({ level: 'silent' }) });
    gateway = createGateway({
      engine: createBotkitEngine(turns.handle, turns.onError),
      sessions: { issue: () => sessions.issue(), verify: (id: unknown): id is string => (verified.push(id), sessions.verify(id)) },
      limits: createLimits({ messagesPer10s: 1e9, conversationsPerMinute: 1e9, socketsPerIp: 1e9 }),
      t,
      log: pino({ level: 'silent' }),
      directory,
    });
  });
  afterAll(async () => {
    await gateway.shutdown();
    await store.close();
    removeDataDir(dataDir);
  });

  it('never throws and always answers with conforming messages (raw text, as from a websocket)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 8 }), async (frames) => {
        const binding: Binding = { lang: 'ja' };
        let bound: string | undefined;
        for (const frame of frames) {
          const replies = await gateway.receive(frame, binding, { ip: '203.0.113.1' });
          expect(replies.length).toBeGreaterThan(0);
          replies.forEach(assertProtocol);
          // Once bound, a socket's conversation never changes, whatever later frames carry.
          if (bound) expect(binding.conversationId).toBe(bound);
          bound = binding.conversationId;
          const session = replies.find((r) => r.type === 'session');
          if (session) expect(session.type === 'session' && session.user).toBe(binding.conversationId);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('checks the id a frame presents only while its socket is not bound to a conversation', async () => {
    const binding: Binding = { lang: 'ja' };
    const [session] = await gateway.receive('{"type":"hello"}', binding, { ip: '203.0.113.3' });
    const user = session?.type === 'session' ? session.user : '';
    verified.length = 0;
    // As the widget sends them: its id with every message. Bound, the id is not looked at (nor needed).
    for (const text of ['はい', 'いいえ', 'restart']) {
      const replies = await gateway.receive(JSON.stringify({ type: 'message', user, text, channel: 'webchat', lang: 'ja' }), binding, { ip: '203.0.113.3' });
      expect(replies.at(-1)?.type).toBe('message');
    }
    expect(verified).toEqual([]);
    // Unbound (a webhook request, or a new socket), the presented id is checked and continues the conversation.
    const fresh: Binding = { lang: 'ja' };
    const replies = await gateway.receive(JSON.stringify({ type: 'message', user, text: 'はい' }), fresh, { ip: '203.0.113.3' });
    expect(verified).toEqual([user]);
    expect(fresh.conversationId).toBe(user);
    expect(replies.at(-1)?.type).toBe('message');
  });

  it('never throws and always answers with conforming messages (parsed values, as from the webhook)', async () => {
    await fc.assert(
      fc.asyncProperty(anyValue, async (value) => {
        const replies = await gateway.receive(value, { lang: 'ja' }, { ip: '203.0.113.2' });
        expect(replies.length).toBeGreaterThan(0);
        replies.forEach(assertProtocol);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the real websocket', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_MESSAGES: '100000', RATE_LIMIT_CONVERSATIONS: '100000' });
  });
  afterAll(async () => {
    await server.close();
    removeDataDir(server.dataDir);
  });

  it('answers every random frame with conforming frames ending in one message or error, and keeps the socket open', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 6 }), async (frames) => {
        const socket = await Client.open(server.wsUrl); // validates every frame it receives
        try {
          for (const frame of frames) {
            const replies = await socket.ask(frame);
            expect(['message', 'error']).toContain(replies.at(-1).type);
          }
          expect(socket.closed).toBeUndefined();
        } finally {
          await socket.close();
        }
      }),
      { numRuns: 60 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
