import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widgetRoutes } from '../../src/http/widget-routes.ts';

let base = '';
let close: () => void = () => undefined;

beforeAll(async () => {
  const app = express();
  app.use(widgetRoutes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('widget routes', () => {
  it('serves /widget.js as JavaScript that any origin may load', async () => {
    const res = await fetch(`${base}/widget.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe(readFileSync('dist/widget.js', 'utf8'));
  });

  it('serves the pre-compressed bundle to gzip clients and honours ETag', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${base}/widget.js`, { headers: { 'accept-encoding': 'gzip, deflate' } }, resolve).on('error', reject),
    );
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    const etag = res.headers.etag;
    expect(etag).toBeTruthy();
    const again = await fetch(`${base}/widget.js`, { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
  });

  it('serves the demo page, the full-page chat and static assets', async () => {
    for (const [path, needle] of [
      ['/', 'src="/widget.js"'],
      ['/chat', 'data-mode="page"'],
      ['/site.css', '.wrap'],
      ['/demo.js', 'OwariChat'],
    ] as const) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain(needle);
    }
  });

  it('pages carry no inline script (they run under script-src self)', () => {
    for (const page of ['public/index.html', 'public/chat.html']) {
      const html = readFileSync(page, 'utf8');
      const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
      for (const s of scripts) expect(s, page).toMatch(/^<script\b[^>]*\bsrc="[^"]+"[^>]*><\/script>$/);
      expect(html, page).not.toMatch(/\son[a-z]+=/i);
    }
  });
});

describe('bundle', () => {
  it('fits the 15 KB gzip budget', () => {
    expect(gunzipSync(readFileSync('dist/widget.js.gz')).length).toBe(readFileSync('dist/widget.js').length);
    expect(readFileSync('dist/widget.js.gz').length).toBeLessThanOrEqual(15 * 1024);
  });

  it('never uses HTML-string sinks or eval', () => {
    const js = readFileSync('dist/widget.js', 'utf8');
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'createContextualFragment', 'srcdoc']) {
      expect(js.includes(sink), sink).toBe(false);
    }
  });
});
