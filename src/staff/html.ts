/** Small server-rendered staff pages: everything escaped, no scripts except files served by us (CSP script-src 'self'). */
import type { Translate } from '../conversation/i18n.ts';
import type { Lang } from '../conversation/wire.ts';
import { showBidiControls } from './bidi.ts';
import type { Stats } from './stats.ts';
import type { Transcript } from './storage/types.ts';
import type { CustomerIdentity } from '../conversation/customer.ts';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: unknown): string => showBidiControls(String(v ?? '')).replace(/[&<>"']/g, (c) => ESC[c]!);

/** /staff/flow's diagram (flow-view.ts): every label at least 13 px, nodes wrap their text, rows wrap rather than scroll. */
const FLOW_CSS = `
.flow h3{font-size:1rem;margin:.8rem 0 .4rem}
.flow .row{display:grid;grid-template-columns:minmax(14rem,22rem) 2rem 1fr;align-items:start;gap:.5rem}
.flow .arrow,.flow .down{font-size:1.4rem;color:#57606a;text-align:center}.flow .arrow{padding-top:1.2rem}
.flow .down{width:min(22rem,100%);line-height:1.6}
.flow .outcomes,.flow .layer{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-start}
.flow .node{box-sizing:border-box;border:2px solid #8c959f;border-radius:8px;background:#fff;padding:.5rem .7rem;width:17rem;max-width:100%;font-size:14px;line-height:1.45;overflow-wrap:anywhere}
.flow .row>.node{width:auto}
.flow .node.question{border-color:#1a56db;background:#e8f0fe}
.flow .node.outcome{border-color:#1e7e34;background:#e6f4ea;border-radius:1.2rem}
.flow .node.device,.flow .node.client{border-style:dashed;border-color:#6f42c1;background:#f5f0ff}
.flow .node p{margin:0 0 .25rem}.flow .title{font-weight:700;font-size:15px}
.flow .caption{color:#1f2328}.flow .steps,.flow .when,.flow .list-heading{color:#57606a;font-size:13px}
.flow ul{margin:.2rem 0 0;padding-left:1.1rem}.flow .edges li{font-size:14px}
.flow .answer{font-weight:600}
.flow details{margin-top:.3rem;font-size:14px}.flow summary{cursor:pointer;color:#0b5394}
.flow .choices{columns:2;font-size:13px}
`;

const JST_MS = 9 * 3600 * 1000;
export const jstTime = (ms: number) => new Date(ms + JST_MS).toISOString().slice(0, 19).replace('T', ' ');

const CSS = `
body{font:14px/1.5 system-ui,"Hiragino Sans","Yu Gothic",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#1a3d6d;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header a{color:#fff}header h1{font-size:1rem;margin:0 1rem 0 0}
header form{margin-left:auto;display:flex;gap:.3rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem}
h2{font-size:1.05rem;margin:.2rem 0 .6rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{display:inline-block;height:.7em;background:#4c8bf5;border-radius:2px;vertical-align:middle}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}
.note{color:#57606a;font-size:.9em}.big{font-size:1.6rem;font-weight:600}
pre.text{white-space:pre-wrap;margin:0;font:inherit}
.customer{background:#f0f6ff}.flash{background:#dafbe1;border-color:#2da44e}
${FLOW_CSS}
tr.identity dl{display:grid;grid-template-columns:max-content 1fr;gap:0 .8rem;margin:0}tr.identity dd{margin:0}
`;

export function page(t: Translate, lang: Lang, title: string, body: string, opts: { scripts?: string[]; query?: string } = {}): string {
  const s = (k: string) => esc(t(lang, `staff:${k}`));
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const q = (l: Lang) => `?lang=${l}${opts.query ? `&${esc(opts.query)}` : ''}`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)} — ${s('title')}</title><style>${CSS}</style></head>
<body><header><h1>${s('title')}</h1>
<a href="/staff?lang=${lang}">${s('nav.dashboard')}</a> <a href="/staff/flow?lang=${lang}">${s('nav.flow')}</a> <a href="${q(other)}">${s('nav.language')}</a>
<form method="get" action="/staff/conversations"><input type="hidden" name="lang" value="${lang}"><label>${s('nav.search')} <input name="reference" placeholder="OW-7K3Q-92" size="12" required></label><button>${s('nav.searchButton')}</button></form>
</header><main>${body}</main>${(opts.scripts ?? []).map((src) => `<script src="${esc(src)}"></script>`).join('')}</body></html>`;
}

function countTable(t: Translate, lang: Lang, heading: string, rows: [string, number][], labelOf: (k: string) => string = (k) => k): string {
  const s = (k: string) => esc(t(lang, `staff:${k}`));
  if (rows.length === 0) return `<section><h2>${esc(heading)}</h2><p class="note">${s('stats.none')}</p></section>`;
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return `<section><h2>${esc(heading)}</h2><table><tbody>${rows
    .map(([k, n]) => `<tr><td>${esc(labelOf(k))}</td><td class="n">${n}</td><td><span class="bar" style="width:${Math.round((n / max) * 100)}%"></span></td></tr>`)
    .join('')}</tbody></table></section>`;
}

export function dashboardPage(t: Translate, lang: Lang, stats: Stats, extra: { retentionDays: number; clientNames: Record<string, string>; flash?: string }): string {
  const s = (k: string, v?: Record<string, string | number>) => esc(t(lang, `staff:${k}`, v));
  const range = `from=${stats.from}&to=${stats.to}`;
  const filter = `<section><form method="get" action="/staff"><input type="hidden" name="lang" value="${lang}">
<label>${s('filter.from')} <input type="date" name="from" value="${esc(stats.from)}"></label>
<label>${s('filter.to')} <input type="date" name="to" value="${esc(stats.to)}"></label>
<button>${s('filter.apply')}</button>
<a href="/staff/api/stats.csv?${esc(range)}">${s('filter.csv')}</a> · <a href="/staff/api/stats?${esc(range)}">${s('filter.json')}</a></form>
<p class="note">${s('stats.retention', { count: extra.retentionDays })}</p></section>`;
  const totals = `<div class="grid"><section><h2>${s('stats.conversations')}</h2><div class="big">${stats.conversations}</div></section>
<section><h2>${s('stats.handoffs')}</h2><div class="big">${stats.handoffs}</div></section></div>`;
  const funnel = `<section><h2>${s('stats.funnel')}</h2><table><thead><tr><th>${s('stats.stage')}</th><th class="n">${s('stats.reached')}</th><th class="n">${s('stats.ended')}</th></tr></thead><tbody>${stats.funnel
    .map((f) => `<tr><td>${s(`stage.${f.id}`)}</td><td class="n">${f.reached}</td><td class="n">${f.ended}</td></tr>`)
    .join('')}</tbody></table><p class="note">${s('stats.funnelNote')}</p></section>`;
  const missed =
    stats.notUnderstood.length === 0
      ? `<section><h2>${s('stats.notUnderstood', { n: 20 })}</h2><p class="note">${s('stats.none')}</p></section>`
      : `<section><h2>${s('stats.notUnderstood', { n: 20 })}</h2><table><thead><tr><th>${s('stats.text')}</th><th class="n">${s('stats.count')}</th></tr></thead><tbody>${stats.notUnderstood
          .map((m) => `<tr><td>${esc(m.text)}</td><td class="n">${m.count}</td></tr>`)
          .join('')}</tbody></table></section>`;
  const body = [
    extra.flash ? `<section class="flash">${esc(extra.flash)}</section>` : '',
    filter,
    totals,
    `<div class="grid">`,
    countTable(t, lang, t(lang, 'staff:stats.outcomes'), Object.entries(stats.outcomes), (k) => t(lang, `staff:outcome.${k}`)),
    countTable(t, lang, t(lang, 'staff:stats.perDay'), stats.perDay.map((d) => [d.day, d.conversations])),
    `</div>`,
    funnel,
    `<div class="grid">`,
    countTable(t, lang, t(lang, 'staff:stats.clients'), Object.entries(stats.clients), (k) => extra.clientNames[k] ?? k),
    countTable(t, lang, t(lang, 'staff:stats.errorCodes'), Object.entries(stats.errorCodes)),
    countTable(t, lang, t(lang, 'staff:stats.faq'), Object.entries(stats.faq)),
    `</div>`,
    missed,
  ].join('\n');
  return page(t, lang, t(lang, 'staff:nav.dashboard'), body, { query: range });
}

/** The portal customer the conversation was last verified as, if any. */
export const latestCustomer = (tr: Transcript): CustomerIdentity | undefined => tr.turns.findLast((x) => x.customer)?.customer;

function customerRows(s: (k: string) => string, customer: CustomerIdentity | undefined): string {
  if (!customer) return `<tr><th>${s('transcript.portalCustomer')}</th><td>${s('transcript.anonymous')}</td></tr>`;
  const email = customer.email ? `<a href="mailto:${esc(encodeURI(customer.email))}">${esc(customer.email)}</a>` : '—';
  return `<tr class="identity"><th>${s('transcript.portalCustomer')}</th><td><dl>
<dt>${s('transcript.customerName')}</dt><dd>${esc(customer.name ?? '—')}</dd>
<dt>${s('transcript.customerEmail')}</dt><dd>${email}</dd>
<dt>${s('transcript.customerId')}</dt><dd>${esc(customer.id)}</dd></dl></td></tr>`;
}

export function transcriptPage(t: Translate, lang: Lang, tr: Transcript): string {
  const s = (k: string, v?: Record<string, string | number>) => esc(t(lang, `staff:${k}`, v));
  const outcomes = [...new Set(tr.turns.map((x) => x.outcome).filter(Boolean))] as string[];
  const summary = `<section><h2>${s('transcript.title', { reference: tr.reference })}</h2><table><tbody>
<tr><th>${s('transcript.lang')}</th><td>${esc(tr.lang)}</td></tr>
<tr><th>${s('transcript.started')}</th><td>${esc(jstTime(tr.startedAt))}</td></tr>
<tr><th>${s('transcript.updated')}</th><td>${esc(jstTime(tr.updatedAt))}</td></tr>
<tr><th>${s('transcript.outcome')}</th><td>${outcomes.map((o) => esc(t(lang, `staff:outcome.${o}`))).join('、') || '—'}</td></tr>
${customerRows(s, latestCustomer(tr))}
</tbody></table>
<p><a href="/staff/api/conversations/${encodeURIComponent(tr.reference)}">${s('filter.json')}</a></p>
<form method="post" action="/staff/conversations/${encodeURIComponent(tr.reference)}/erase?lang=${lang}"><button>${s('transcript.erase')}</button></form></section>`;
  const rows = tr.turns
    .map((x) => {
      const customer = x.input !== undefined ? `<tr class="customer"><td class="n">${esc(jstTime(x.at))}</td><td>${s('transcript.customer')}</td><td><pre class="text">${esc(x.input)}</pre></td><td>${esc(x.from)}<br><span class="note">${esc(x.understood)}</span></td></tr>` : '';
      const flags = [x.outcome && t(lang, `staff:outcome.${x.outcome}`), x.handoff && t(lang, 'staff:transcript.handoff')].filter(Boolean).join(' · ');
      const bot = `<tr><td class="n">${x.input === undefined ? esc(jstTime(x.at)) : ''}</td><td>${s('transcript.bot')}</td><td><pre class="text">${esc(x.reply)}</pre></td><td>${esc(x.to)}${flags ? `<br><strong>${esc(flags)}</strong>` : ''}</td></tr>`;
      return customer + bot;
    })
    .join('');
  const table = `<section><table><thead><tr><th class="n">${s('transcript.time')}</th><th></th><th></th><th>${s('transcript.step')}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
  return page(t, lang, t(lang, 'staff:transcript.title', { reference: tr.reference }), summary + table);
}

export function messagePage(t: Translate, lang: Lang, title: string, message: string): string {
  return page(t, lang, title, `<section><p>${esc(message)}</p></section>`);
}

/** `diagram`: the flow's HTML from flow-view.ts, built once at start-up per language. */
export function flowPage(t: Translate, lang: Lang, diagram: string): string {
  const s = (k: string) => esc(t(lang, `staff:${k}`));
  const body = `<section><h2>${s('flow.title')}</h2><p class="note">${s('flow.note')}</p>${diagram}</section>`;
  return page(t, lang, t(lang, 'staff:flow.title'), body);
}
