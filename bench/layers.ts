/**
 * Where a turn's server CPU goes, layer by layer, in one process (no sockets, no client): the pure turn,
 * + storage (load/save), + the staff recorder, + Botkit (the gateway). Each layer's figure includes the
 * ones above it. The turns are the load test's: はい / restart alternating over 50 conversations.
 *
 *   node --import tsx bench/layers.ts        (REDIS=1 for the Redis engine)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { loadDataOrThrow } from '../src/flow/load.ts';
import { createTranslate } from '../src/conversation/i18n.ts';
import { createConversationService } from '../src/conversation/service.ts';
import { startConversation, takeTurn, type ConversationRecord, type TurnDeps } from '../src/conversation/turn.ts';
import { openSqliteStore } from '../src/storage/sqlite.ts';
import { openRedisStore } from '../src/storage/redis.ts';
import { createBotkitEngine } from '../src/channels/botkit/engine.ts';
import { createConversationDirectory } from '../src/channels/directory.ts';
import { createGateway, type Binding } from '../src/channels/gateway.ts';
import { conversationTurns } from '../src/channels/turn-engine.ts';
import { createSessionIds } from '../src/channels/sessions.ts';
import { createLimits } from '../src/channels/limits.ts';
import { createLogger } from '../src/log.ts';
import { createStaff } from '../src/staff/index.ts';
import { openTranscriptStore } from '../src/staff/storage/index.ts';
import { removeBenchKeys } from './server.ts';

const TURNS = Number(process.env.TURNS ?? 20_000);
const CONVERSATIONS = 50;
const TEXTS = ['はい', 'restart'];
const dir = mkdtempSync(join(tmpdir(), 'owari-layers-'));
const config = loadConfig({ DATA_DIR: dir, SESSION_SECRET: 'layers-'.padEnd(40, 'x'), NODE_ENV: 'production' });
const data = loadDataOrThrow();
const t = createTranslate(data.resources);
const deps: TurnDeps = {
  bundle: data.bundle,
  lexicon: data.lexicon,
  t,
  now: Date.now,
  site: { mail: config.mail, contact: config.contact, rentalServerUrl: config.rentalServerUrl, manualBaseUrl: config.manualBaseUrl, publicBaseUrl: 'http://localhost' },
};
const log = createLogger('warn');

async function measure(name: string, turn: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < TURNS / 4; i++) await turn(i); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // 50 turns in flight at once, like 50 conversations on one server.
  for (let i = 0; i < TURNS; i += CONVERSATIONS) await Promise.all(Array.from({ length: CONVERSATIONS }, (_, k) => turn(i + k)));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(`${name.padEnd(34)} ${((cpu.user + cpu.system) / TURNS).toFixed(1).padStart(7)} µs CPU/turn ${((wall * 1000) / TURNS).toFixed(1).padStart(7)} µs wall/turn`);
}

// 1. The pure turn.
const records: ConversationRecord[] = Array.from({ length: CONVERSATIONS }, () => startConversation(deps, 'ja', 'OW-TEST').record);
await measure('pure turn (takeTurn)', (i) => {
  const k = i % CONVERSATIONS;
  records[k] = takeTurn(deps, records[k]!, TEXTS[Math.floor(i / CONVERSATIONS) % 2]!).record;
});

// 2. + storage.
const redisUrl = process.env.REDIS ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/15') : undefined;
const store = redisUrl ? await openRedisStore(redisUrl, 3600) : openSqliteStore(join(dir, 'conv'), 3600);
const ids = Array.from({ length: CONVERSATIONS }, (_, k) => `layers-${process.pid}-${k}`);
const plain = createConversationService({ deps, store, newReference: () => 'OW-TEST' });
for (const id of ids) await plain.start(id, 'ja');
await measure(`+ storage (${store.engine})`, (i) => plain.message(ids[i % CONVERSATIONS]!, TEXTS[Math.floor(i / CONVERSATIONS) % 2]!));

// 3. + staff transcripts.
const staff = createStaff({ config, bundle: deps.bundle, t, log, store: await openTranscriptStore(config) });
const recorded = createConversationService({ deps, store, newReference: () => 'OW-TEST', observe: (id, r, input) => staff.observe(id, r, input) });
await measure('+ staff transcripts', (i) => recorded.message(ids[i % CONVERSATIONS]!, TEXTS[Math.floor(i / CONVERSATIONS) % 2]!));

// 4. + Botkit and the gateway (frame parsing, session check, rate limit).
const sessions = createSessionIds('layers-'.padEnd(40, 'x'));
const turns = conversationTurns({ service: recorded, directory: createConversationDirectory(), t, log });
const gateway = createGateway({ engine: createBotkitEngine(turns.handle, turns.onError), sessions, limits: createLimits({ messagesPer10s: 1e9, conversationsPerMinute: 1e9, socketsPerIp: 1e9 }), t, log });
const bindings: Binding[] = [];
for (let k = 0; k < CONVERSATIONS; k++) {
  const binding: Binding = { lang: 'ja' };
  await gateway.receive('{"type":"hello"}', binding, { ip: '127.0.0.1' });
  bindings.push(binding);
}
const frames = TEXTS.map((text) => JSON.stringify({ type: 'message', text }));
await measure('+ Botkit and the gateway', (i) => gateway.receive(frames[Math.floor(i / CONVERSATIONS) % 2]!, bindings[i % CONVERSATIONS]!, { ip: '127.0.0.1' }));

await recorded.idle();
await store.close();
await staff.close();
if (redisUrl) await removeBenchKeys(redisUrl);
rmSync(dir, { recursive: true, force: true });
