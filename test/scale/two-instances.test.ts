/** With Redis, any instance continues any conversation — turn by turn, and after kill -9. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMessage, TestSocket } from '../support/server.ts';
import { deleteKeys, redisDbUrl, requireRedis } from '../support/redis.ts';
import { startInstance, type Instance } from './instances.ts';

const redis = await requireRedis();
const REDIS = redisDbUrl(11);
const TEXTS = ['はい', 'はい', 'いいえ', 'back', 'はい', 'restart', 'はい', 'いいえ'];

describe.skipIf(!redis.available)('two instances on one Redis', { timeout: 90_000 }, () => {
  let a: Instance;
  let b: Instance;
  let single: Instance;
  beforeAll(async () => {
    await deleteKeys(REDIS, 'owari:*');
    [a, b, single] = await Promise.all([startInstance({ REDIS_URL: REDIS }), startInstance({ REDIS_URL: REDIS }), startInstance({})]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a, b, single].filter(Boolean).map((i) => i.destroy()));
    if (redis.available) await deleteKeys(REDIS, 'owari:*');
  });

  /** Runs TEXTS over the webhook, instance i % n for turn i; returns the step of every reply. */
  async function converse(instances: Instance[]): Promise<string[]> {
    const hello = await postMessage(instances[0]!.url, { type: 'hello' });
    const id = hello.json[0].user as string;
    const steps = [hello.json.at(-1).state as string];
    for (const [i, text] of TEXTS.entries()) {
      const at = instances[(i + 1) % instances.length]!;
      const { status, json } = await postMessage(at.url, { type: 'message', user: id, text });
      expect(status).toBe(200);
      expect(json.every((f: { type: string }) => f.type === 'message'), JSON.stringify(json)).toBe(true);
      steps.push(json.at(-1).state);
    }
    return steps;
  }

  it('a conversation alternating between the instances turn by turn goes exactly as on one instance', async () => {
    const alone = await converse([single]);
    const alternating = await converse([a, b]);
    expect(alternating).toEqual(alone);
    expect(new Set(alone).size).toBeGreaterThan(2);
  });

  it('a websocket conversation continues on the other instance after kill -9 of its own', async () => {
    const victim = await startInstance({ REDIS_URL: REDIS });
    const ws = await TestSocket.open(victim.wsUrl);
    const first = await ws.ask({ type: 'hello' });
    const id = ws.received.find((f) => f.type === 'session').user as string;
    const second = await ws.ask({ type: 'message', text: 'はい' });
    expect(second.state).not.toBe(first.state);

    victim.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    await victim.destroy();

    const again = await TestSocket.open(b.wsUrl);
    const resumed = await again.ask({ type: 'welcome_back', user: id });
    expect(again.received.some((f) => f.type === 'session')).toBe(false);
    expect(resumed.state).toBe(second.state);
    const third = await again.ask({ type: 'message', text: 'はい' });
    expect(third.type).toBe('message');
    expect(third.state).not.toBe(second.state);
    await again.close();
  });

  it('turns of one conversation sent to both instances at once are all applied, none lost', async () => {
    const hello = await postMessage(a.url, { type: 'hello' });
    const id = hello.json[0].user as string;
    // Every second message the bot does not understand in a row adds the offer of a person (two messages):
    // that count only comes out right if each turn saw the one before it. 20 such turns at once on two instances.
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => postMessage((i % 2 ? a : b).url, { type: 'message', user: id, text: 'ぷるぷる' })));
    for (const r of replies) expect(r.json.every((f: { type: string }) => f.type === 'message'), JSON.stringify(r.json)).toBe(true);
    expect(replies.filter((r) => r.json.length === 2)).toHaveLength(10);
    expect(replies.filter((r) => r.json.length === 1)).toHaveLength(10);
  });
});
