/**
 * HTTP hardening: helmet headers and a CSP on our pages, no x-powered-by; with
 * PUBLIC_URL set, our own origin is PUBLIC_URL's — a page reaching us under another Host name (DNS
 * rebinding) is refused; Botkit's own socket server and its never-cleared timer are never started,
 * and a stopped server leaves no timers behind.
 */
import { WebAdapter } from 'botbuilder-adapter-web';
import { describe, expect, it, vi } from 'vitest';
import { removeDataDir, startTestServer } from '../support/server.ts';
import { Client } from '../hostile/helpers.ts';

describe('security headers', () => {
  it('every response: helmet headers, no x-powered-by; HTML pages: a CSP that allows only our own scripts', async () => {
    const server = await startTestServer();
    try {
      for (const path of ['/', '/chat', '/healthz', '/widget.js', '/no-such-page']) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.headers.get('x-powered-by'), path).toBeNull();
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
        expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp, path).toMatch(/default-src 'self'/);
        expect(csp, path).toMatch(/script-src 'self'(;|$)/);
        expect(csp, path).toMatch(/object-src 'none'/);
        expect(csp, path).toMatch(/frame-ancestors 'self'/);
        expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      }
      const page = await fetch(`${server.url}/chat`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    } finally {
      await server.close();
      removeDataDir(server.dataDir);
    }
  });
});

describe('origins with PUBLIC_URL', () => {
  it('accepts PUBLIC_URL and ALLOWED_ORIGINS; refuses an origin that only matches the Host header', async () => {
    const server = await startTestServer({ PUBLIC_URL: 'https://chat.owari.example', ALLOWED_ORIGINS: 'https://portal.example.jp' });
    try {
      for (const origin of ['https://chat.owari.example', 'https://portal.example.jp']) {
        const socket = await Client.open(server.wsUrl, { headers: { origin } });
        await socket.close();
      }
      // A rebinding page: the browser sends Origin http://attacker.example and Host attacker.example.
      const rebinding = { origin: 'http://attacker.example', host: 'attacker.example' };
      await expect(Client.open(server.wsUrl, { headers: rebinding })).rejects.toMatchObject({ status: 403 });
      await expect(Client.open(server.wsUrl, { headers: { origin: server.url } })).rejects.toMatchObject({ status: 403 });
      const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { ...rebinding, 'content-type': 'application/json' }, body: '{"type":"hello"}' });
      expect(res.status).toBe(403);
    } finally {
      await server.close();
      removeDataDir(server.dataDir);
    }
  });

  it('without PUBLIC_URL (development) the Host header names our origin, http(s) only', async () => {
    const server = await startTestServer();
    try {
      const socket = await Client.open(server.wsUrl, { headers: { origin: server.url } });
      await socket.close();
      await expect(Client.open(server.wsUrl, { headers: { origin: `ftp://127.0.0.1:${server.port}` } })).rejects.toMatchObject({ status: 403 });
    } finally {
      await server.close();
      removeDataDir(server.dataDir);
    }
  });
});

describe("Botkit's web adapter", () => {
  it('never starts its own socket server (global user→socket map, 30 s interval); a stopped server leaves no timer running', async () => {
    const createSocketServer = vi.spyOn(WebAdapter.prototype, 'createSocketServer');
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval');
    try {
      const server = await startTestServer();
      const socket = await Client.open(server.wsUrl);
      await socket.ask({ type: 'hello' });
      await server.close();
      removeDataDir(server.dataDir);
      expect(createSocketServer).not.toHaveBeenCalled();
      // Every interval the server started was cleared on close.
      const started = setIntervalSpy.mock.results.map((r) => r.value);
      expect(started.length, 'the websocket heartbeat at least').toBeGreaterThan(0);
      const cleared = new Set(clearIntervalSpy.mock.calls.map((c) => c[0]));
      for (const timer of started) expect(cleared.has(timer)).toBe(true);
      expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(1);
    } finally {
      createSocketServer.mockRestore();
      setIntervalSpy.mockRestore();
      clearIntervalSpy.mockRestore();
    }
  });
});
