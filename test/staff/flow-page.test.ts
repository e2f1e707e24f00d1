/** GET /staff/flow: the flowchart laid out on the server from the machine definition, no script, legible at 1280 px. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { createTranslate } from '../../src/conversation/i18n.ts';
import { outcomeIds, transitionsOf } from '../../src/flow/flow-data.ts';
import { flowMarkdown, flowToMermaid } from '../../src/staff/diagram.ts';
import { flowDiagramHtml, layoutFlow } from '../../src/staff/flow-view.ts';
import { basic, PASSWORD, startStaffServer, staffGet, USER, type TestServer } from './helpers.ts';
import { describeWithChromium, launchChromium, type LaunchedChromium } from '../support/chromium.ts';

const data = loadDataOrThrow();

const bundle = data.bundle;
const { flow, catalogue } = bundle;
const t = createTranslate(data.resources);
const labels = { notice: 'notice', setup: 'setup', choices: 'choices', when: 'if' };

describe('flow layout', () => {
  const layout = layoutFlow(flow, catalogue);
  const nodeOfStep = (id: string) => [...layout.nodes.values()].find((n) => n.steps.includes(id))!;

  it('the notice\'s path: the three questions in order, each beside the outcomes it leads to, all four outcomes', () => {
    expect(layout.main.map((r) => layout.nodes.get(r.question)!.title)).toEqual(['Q1', 'Q2', 'Q3']);
    const outcomes = layout.main.flatMap((r) => r.outcomes.map((o) => layout.nodes.get(o)!.title));
    expect(outcomes.sort()).toEqual([...outcomeIds].sort());
    expect(layout.main[0]!.outcomes.map((o) => layout.nodes.get(o)!.title)).toEqual(['no-change-needed']);
  });

  it('every step is in exactly one node; device and client choices are one node each, with their lists', () => {
    const all = [...layout.nodes.values()].flatMap((n) => n.steps);
    expect(all.sort()).toEqual(Object.keys(flow.states).sort());
    const device = [...layout.nodes.values()].filter((n) => n.kind === 'device');
    const client = [...layout.nodes.values()].filter((n) => n.kind === 'client');
    expect(device).toHaveLength(1);
    expect(client).toHaveLength(1);
    expect(client[0]!.steps.length).toBeGreaterThan(1);
    expect(device[0]!.lists[0]!.items).toEqual(expect.arrayContaining(['windows', 'mac']));
    expect(client[0]!.lists.flatMap((l) => l.items)).toContain('Thunderbird');
    // The setting-up steps lie below the outcomes, device before client.
    const layerOf = (key: string) => layout.layers.findIndex((l) => l.includes(key));
    expect(layerOf(device[0]!.key)).toBeLessThan(layerOf(client[0]!.key));
    expect(layerOf(nodeOfStep('settings').key)).toBeGreaterThan(layerOf(client[0]!.key));
  });

  it('every transition of the flow is drawn as an edge between the nodes of its steps', () => {
    for (const [id, step] of Object.entries(flow.states)) {
      for (const tr of transitionsOf(step)) {
        expect(nodeOfStep(id).edges.map((e) => e.target), `${id} → ${tr.target}`).toContain(nodeOfStep(tr.target).key);
      }
    }
  });

  it('text from the data is escaped', () => {
    const html = flowDiagramHtml(layoutFlow(flow, catalogue, (key) => (key.startsWith('steps.') ? '<img src=x onerror=alert(1)>"' : undefined)), labels);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;');
  });
});

describe('docs/flow.md', () => {
  it('is what npm run flows:diagram writes from the current flowchart (Mermaid source, rendered by GitHub)', () => {
    expect(flowToMermaid(flow)).toMatch(/^flowchart TD/);
    expect(readFileSync('docs/flow.md', 'utf8')).toBe(flowMarkdown(flow, (key) => t('ja', key)));
  });
});

describe('GET /staff/flow', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startStaffServer();
  });
  afterAll(() => server.stop());

  it('is plain HTML: no script at all, the questions and outcomes as text, in either language', async () => {
    for (const lang of ['ja', 'en']) {
      const res = await staffGet(server.url, `/staff/flow?lang=${lang}`, basic());
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      const html = await res.text();
      expect(html).not.toMatch(/<script/i);
      for (const q of ['Q1', 'Q2', 'Q3', ...outcomeIds]) expect(html).toContain(`>${q}<`);
      expect(html).toContain(t(lang as 'ja', 'steps.uses_mail_software.ask').replace(/^【[^】]*】/, '').slice(0, 10));
    }
  });

  it('serves no diagram library', async () => {
    expect((await staffGet(server.url, '/staff/assets/mermaid.min.js', basic())).status).toBe(404);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty('mermaid');
  });
});

describeWithChromium('GET /staff/flow in Chromium at 1280 px', () => {
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

  it('every label is at least 12 px as rendered, and the notice\'s path fits without horizontal scrolling', async () => {
    const context = await chromium.browser.newContext({ httpCredentials: { username: USER, password: PASSWORD }, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused/i.test(m.text())) problems.push(m.text());
    });
    await page.goto(`${server.url}/staff/flow`);
    // Open every list of choices, so their items are measured too.
    for (const summary of await page.locator('.flow summary').all()) await summary.click();

    const measured = await page.evaluate(() => {
      const texts: { text: string; px: number }[] = [];
      const walker = document.createTreeWalker(document.querySelector('.flow')!, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement!;
        if (!n.textContent!.trim() || el.getAttribute('aria-hidden') === 'true' || el.getClientRects().length === 0) continue;
        texts.push({ text: n.textContent!.trim().slice(0, 30), px: parseFloat(getComputedStyle(el).fontSize) });
      }
      const main = [...document.querySelectorAll('.flow .main .node')].map((el) => {
        const r = el.getBoundingClientRect();
        return { title: el.querySelector('.title')!.textContent, left: r.left, right: r.right, width: r.width };
      });
      return { texts, main, scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth };
    });

    expect(measured.texts.length).toBeGreaterThan(50);
    const small = measured.texts.filter((x) => x.px < 12);
    expect(small).toEqual([]);
    expect(measured.scrollWidth).toBeLessThanOrEqual(measured.clientWidth);
    expect(measured.main.map((n) => n.title).sort()).toEqual(['Q1', 'Q2', 'Q3', ...outcomeIds].sort());
    for (const node of measured.main) {
      expect(node.left, node.title!).toBeGreaterThanOrEqual(0);
      expect(node.right, node.title!).toBeLessThanOrEqual(1280);
      expect(node.width, node.title!).toBeGreaterThan(150); // wide enough for its sentence to be read
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
