/** GET /staff/flow: the flowchart from the machine definition, Mermaid served locally, no inline script (CSP). */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlowBundle } from '../../src/flow/load.ts';
import { loadLocales } from '../../src/flow/locales.ts';
import { createTranslate } from '../../src/conversation/i18n.ts';
import { flowMarkdown, flowToMermaid } from '../../src/staff/diagram.ts';
import { basic, PASSWORD, startStaffServer, staffGet, USER, type TestServer } from './helpers.ts';
import { describeWithChromium, launchChromium, type LaunchedChromium } from '../support/chromium.ts';

const { flow } = loadFlowBundle();
const t = createTranslate(loadLocales());

describe('flow diagram', () => {
  it('has every step and every transition of the flowchart', () => {
    const src = flowToMermaid(flow);
    for (const id of Object.keys(flow.states)) expect(src).toContain(id);
    expect(src).toMatch(/^flowchart TD/);
    expect(src).toContain('change-required-owari');
    expect(src).not.toMatch(/["'`]\s*<script/i);
  });

  it('docs/flow.md is what npm run flows:diagram writes from the current flowchart', () => {
    expect(readFileSync('docs/flow.md', 'utf8')).toBe(flowMarkdown(flow, (key) => t('ja', key)));
  });
});

describe('GET /staff/flow', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startStaffServer();
  });
  afterAll(() => server.stop());

  it('renders the Mermaid source escaped, with scripts only from files we serve', async () => {
    const res = await staffGet(server.url, '/staff/flow', basic());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await res.text();
    expect(html).toContain('<pre class="mermaid">flowchart TD');
    expect(html).toContain('--&gt;');
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1])).toEqual([' src="/staff/assets/mermaid.min.js"', ' src="/staff/assets/flow.js"']);
    for (const m of scripts) expect(m[2]).toBe('');
    expect(html).not.toMatch(/cdn|https?:\/\/[^"<]*\.js/i);
  });

  it('serves the local copy of mermaid and the small starter script', async () => {
    const mermaid = await staffGet(server.url, '/staff/assets/mermaid.min.js', basic());
    expect(mermaid.status).toBe(200);
    expect(mermaid.headers.get('content-type')).toMatch(/javascript/);
    expect((await mermaid.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    const starter = await (await staffGet(server.url, '/staff/assets/flow.js', basic())).text();
    expect(starter).toContain('mermaid.initialize');
  });
});

describeWithChromium('GET /staff/flow in Chromium (CSP script-src self)', () => {
  let server: TestServer;
  let chromium: LaunchedChromium;
  beforeAll(async () => {
    server = await startStaffServer();
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
  });

  it('Mermaid renders the diagram as SVG with one node per step, without CSP violations', async () => {
    const context = await chromium.browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused/i.test(m.text())) problems.push(m.text());
    });
    await page.goto(`${server.url}/staff/flow`);
    await page.waitForSelector('pre.mermaid svg', { timeout: 15_000 });
    // one node per step plus the start circle
    expect(await page.locator('pre.mermaid svg g.node').count()).toBe(Object.keys(flow.states).length + 1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
