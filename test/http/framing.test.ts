/** Who may put our pages in an <iframe>: /chat the origins in ALLOWED_ORIGINS, every other page only our own origin. */
import { afterEach, describe, expect, it } from 'vitest';
import { removeDataDir, startTestServer } from '../support/server.ts';

type Started = Awaited<ReturnType<typeof startTestServer>>;
const frameAncestors = (res: Response) => /frame-ancestors ([^;]*)/.exec(res.headers.get('content-security-policy') ?? '')?.[1];

describe('framing', () => {
  let server: Started | undefined;
  afterEach(async () => {
    if (!server) return;
    await server.close();
    removeDataDir(server.dataDir);
    server = undefined;
  });

  it('with ALLOWED_ORIGINS: /chat may be framed by exactly those origins, with no X-Frame-Options', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: 'https://portal.example.jp,https://helpdesk.example.jp' });
    for (const path of ['/chat', '/chat/', '/chat?lang=en']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(frameAncestors(res), path).toBe("'self' https://portal.example.jp https://helpdesk.example.jp");
      expect(res.headers.get('x-frame-options'), path).toBeNull();
      // The rest of the page's policy is the one every page has.
      expect(res.headers.get('content-security-policy'), path).toMatch(/script-src 'self'(;|$)/);
    }
  });

  it('with ALLOWED_ORIGINS: every other page stays same-origin only', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: 'https://portal.example.jp' });
    for (const path of ['/', '/chat.html', '/widget.js', '/healthz', '/chatroom', '/no-such-page']) {
      const res = await fetch(`${server.url}${path}`);
      expect(frameAncestors(res), path).toBe("'self'");
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
    }
  });

  it('without ALLOWED_ORIGINS: /chat is same-origin only like every page', async () => {
    server = await startTestServer();
    for (const path of ['/chat', '/']) {
      const res = await fetch(`${server.url}${path}`);
      expect(frameAncestors(res), path).toBe("'self'");
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
    }
  });
});
