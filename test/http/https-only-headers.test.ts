/**
 * upgrade-insecure-requests and HSTS only when customers reach us over https: on a plain-http test box
 * they would rewrite our own /widget.js and /site.css to https and leave the page without its chat.
 */
import { describe, expect, it } from 'vitest';
import { removeDataDir, startTestServer } from '../support/server.ts';

async function headersOf(env: Record<string, string>) {
  const server = await startTestServer(env);
  try {
    return (await fetch(`${server.url}/chat`)).headers;
  } finally {
    await server.close();
    removeDataDir(server.dataDir);
  }
}

describe('https-only headers', () => {
  it('plain http: no upgrade-insecure-requests, no HSTS', async () => {
    const headers = await headersOf({});
    expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(headers.get('strict-transport-security')).toBeNull();
  });

  it('PUBLIC_URL on https: both', async () => {
    const headers = await headersOf({ PUBLIC_URL: 'https://chat.owari.ne.jp' });
    expect(headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});
