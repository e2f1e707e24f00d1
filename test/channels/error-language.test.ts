/**
 * Webhook refusals speak the conversation's language when the request tells it: its `lang`, or its `user` (an id
 * this server issued) whose conversation is in English; otherwise Japanese.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/app.ts';
import { postMessage, removeDataDir, startTestServer } from '../support/server.ts';

const EN = { too_long: /^Your message is too long/, malformed: /^The message was not in the expected format/ };
const JA = { too_long: /^メッセージが長すぎます/, malformed: /形式/ };

describe('webhook refusals in the conversation language', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let english: string;
  let japanese: string;
  const raw = async (body: string) => {
    const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, json: await res.json() };
  };

  beforeAll(async () => {
    server = await startTestServer();
    english = (await postMessage(server.url, { type: 'hello', lang: 'en' })).json[0].user;
    japanese = (await postMessage(server.url, { type: 'hello' })).json[0].user;
  });
  afterAll(async () => {
    await server.close();
    removeDataDir(server.dataDir);
  });

  it('too_long: in English for an English conversation, though the request names no language', async () => {
    const { json } = await postMessage(server.url, { type: 'message', user: english, text: 'a'.repeat(1001) });
    expect(json).toEqual([expect.objectContaining({ type: 'error', code: 'too_long', text: expect.stringMatching(EN.too_long) })]);
    const ja = await postMessage(server.url, { type: 'message', user: japanese, text: 'a'.repeat(1001) });
    expect(ja.json[0].text).toMatch(JA.too_long);
  });

  it('malformed fields: in English for an English conversation', async () => {
    const { json } = await postMessage(server.url, { type: 'message', user: english, text: 42 });
    expect(json[0]).toMatchObject({ code: 'malformed', text: expect.stringMatching(EN.malformed) });
  });

  it('a body that is not JSON: its user or lang still picks the language', async () => {
    const byUser = await raw(`{"type":"message","user":"${english}","text":"oops}`);
    expect(byUser.status).toBe(400);
    expect(byUser.json).toMatchObject({ type: 'error', code: 'malformed', text: expect.stringMatching(EN.malformed) });
    const byLang = await raw('{"type":"hello","lang":"en",');
    expect(byLang.json.text).toMatch(EN.malformed);
    const forged = await raw(`{"type":"message","user":"${english.slice(0, -2)}xx","text":"oops}`);
    expect(forged.json.text, 'an id this server did not issue tells nothing').toMatch(JA.malformed);
    expect((await raw('not json')).json.text).toMatch(JA.malformed);
  });

  it('a body over the size limit (never read): Japanese, the default', async () => {
    const { status, json } = await raw(JSON.stringify({ type: 'message', user: english, text: 'a'.repeat(MAX_BODY_BYTES) }));
    expect(status).toBe(413);
    expect(json).toMatchObject({ type: 'error', code: 'too_long', text: expect.stringMatching(JA.too_long) });
  });

  it('the request\'s lang wins over the conversation\'s', async () => {
    const { json } = await postMessage(server.url, { type: 'message', user: english, lang: 'ja', text: 'a'.repeat(1001) });
    expect(json[0].text).toMatch(JA.too_long);
  });
});
