/** The handoff webhook's settings: a Standard Webhooks secret with every URL, an optional Authorization, retries. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const URL = 'https://tickets.example.jp/hooks/owari';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('handoff webhook configuration', () => {
  it('requires HANDOFF_WEBHOOK_SECRET with HANDOFF_WEBHOOK_URL, saying how to make one', () => {
    expect(() => loadConfig({ HANDOFF_WEBHOOK_URL: URL })).toThrow(/HANDOFF_WEBHOOK_SECRET: required with HANDOFF_WEBHOOK_URL.*whsec_\$\(openssl rand -base64 32\)/s);
    expect(loadConfig({ HANDOFF_WEBHOOK_URL: URL, HANDOFF_WEBHOOK_SECRET: SECRET }).handoff.secret).toBe(SECRET);
  });

  it('refuses a secret that is not whsec_ and 24 to 64 bytes of base64', () => {
    for (const bad of ['not-a-secret', Buffer.alloc(32).toString('base64'), 'whsec_ !!!', `whsec_${Buffer.alloc(16).toString('base64')}`, `whsec_${Buffer.alloc(65).toString('base64')}`]) {
      expect(() => loadConfig({ HANDOFF_WEBHOOK_URL: URL, HANDOFF_WEBHOOK_SECRET: bad }), bad).toThrow(/HANDOFF_WEBHOOK_SECRET: (must be "whsec_"|the key after "whsec_" must be 24 to 64 bytes)/);
    }
  });

  it('takes an Authorization header value on one line only', () => {
    expect(loadConfig({ HANDOFF_WEBHOOK_URL: URL, HANDOFF_WEBHOOK_SECRET: SECRET, HANDOFF_WEBHOOK_AUTHORIZATION: 'Token abc.def' }).handoff.authorization).toBe('Token abc.def');
    expect(() => loadConfig({ HANDOFF_WEBHOOK_AUTHORIZATION: 'Bearer x\r\nX-Evil: 1' })).toThrow(/HANDOFF_WEBHOOK_AUTHORIZATION: must be one line of printable ASCII/);
  });

  it('retries for 13 minutes with 1, 5, 30, 120, 600 s between attempts unless told otherwise', () => {
    expect(loadConfig({}).handoff).toMatchObject({ retryBudgetMs: 13 * 60_000, retryDelaysMs: [1_000, 5_000, 30_000, 120_000, 600_000] });
    expect(loadConfig({ HANDOFF_RETRY_MINUTES: '60', HANDOFF_RETRY_DELAYS: '0.5, 10' }).handoff).toMatchObject({ retryBudgetMs: 3_600_000, retryDelaysMs: [500, 10_000] });
    expect(() => loadConfig({ HANDOFF_RETRY_DELAYS: '1,-5' })).toThrow(/HANDOFF_RETRY_DELAYS/);
    expect(() => loadConfig({ HANDOFF_RETRY_MINUTES: '0' })).toThrow(/HANDOFF_RETRY_MINUTES/);
  });
});
