/**
 * /staff/flow: the flowchart as server-rendered HTML (no script, no diagram library), laid out from the flow data.
 *
 * The notice's path comes first, one row per question with the outcomes it leads to beside it (the notice's own
 * staircase); below it the setting-up steps, layered by the longest way from an outcome (edges that lead back,
 * such as "another client", are listed but do not add layers). Steps that ask the same kind of choice are one
 * node: every device choice, every mail-client choice, every step of one outcome; their lists open on click.
 * Every transition is written in its node as "answer → step", linking to that step. Pure; all text escaped.
 */
import { expandClientReply } from '../flow/bundle.ts';
import { productsFor, type Catalogue, type Os } from '../flow/catalogue.ts';
import { transitionsOf, type FlowData } from '../flow/flow-data.ts';
import { esc } from './html.ts';

/** Text of a sentence key, or undefined when there is none. */
export type Caption = (key: string) => string | undefined;

export interface DiagramEdge {
  answer: string;
  /** The node it leads to. */
  target: string;
  /** The condition the flow checks, when there is one. */
  when?: string;
}

export interface DiagramNode {
  key: string;
  kind: 'question' | 'outcome' | 'device' | 'client' | 'step';
  title: string;
  caption?: string;
  /** The flow steps this node stands for. */
  steps: string[];
  edges: DiagramEdge[];
  /** Choices the node offers, by heading (devices; clients per device). */
  lists: { heading: string; items: string[] }[];
}

export interface DiagramLayout {
  nodes: Map<string, DiagramNode>;
  /** The notice's path: each question and the outcomes its answers lead to. */
  main: { question: string; outcomes: string[] }[];
  /** The remaining nodes, layer by layer. */
  layers: string[][];
}

const captionText = (text: string | undefined, max = 60): string | undefined => {
  if (!text) return undefined;
  const plain = text.replace(/\{\{[^{}]*\}\}/g, '…').replace(/^【[^】]*】/, '').replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
};

export function layoutFlow(flow: FlowData, catalogue: Catalogue, caption: Caption = () => undefined): DiagramLayout {
  const label = (key: string, fallback: string) => caption(key) ?? fallback;
  const nodeOf = (id: string): string => {
    const meta = flow.states[id]!.meta;
    if (meta.question) return `q${meta.question}`;
    if (meta.outcome) return `outcome-${meta.outcome}`;
    if (meta.expects === 'os') return 'device';
    if (meta.expects === 'client') return 'client';
    return `step-${id}`;
  };
  const nodes = new Map<string, DiagramNode>();
  const ways = new Map<DiagramNode, Map<string, { answers: Set<string>; when: Set<string>; always: boolean }>>();
  for (const [id, step] of Object.entries(flow.states)) {
    const key = nodeOf(id);
    const { meta } = step;
    let node = nodes.get(key);
    if (!node) {
      const kind: DiagramNode['kind'] = meta.question ? 'question' : meta.outcome ? 'outcome' : meta.expects === 'os' ? 'device' : meta.expects === 'client' ? 'client' : 'step';
      const first = meta.say.find((k) => !k.startsWith('@') && k !== 'common.anything_else');
      const title = meta.question ? `Q${meta.question}` : meta.outcome ? meta.outcome : id;
      node = { key, kind, title, caption: captionText(first && caption(first)), steps: [], edges: [], lists: [] };
      nodes.set(key, node);
    }
    node.steps.push(id);
    // One line per node led to: its answers together, and the conditions when every way there has one.
    for (const t of transitionsOf(step)) {
      const target = nodeOf(t.target);
      const answer = label(`replies.${t.event}`, t.event);
      const way = (ways.get(node) ?? ways.set(node, new Map()).get(node)!).get(target) ?? { answers: new Set<string>(), when: new Set<string>(), always: false };
      ways.get(node)!.set(target, way);
      way.answers.add(answer);
      if (t.guard) way.when.add(t.guard.type);
      else way.always = true;
    }
    if (node.kind === 'device' || node.kind === 'client') {
      for (const reply of meta.replies ?? []) {
        const os = expandClientReply(reply) as Os | undefined;
        if (os) {
          const heading = label(`replies.${os}`, os);
          if (!node.lists.some((l) => l.heading === heading)) node.lists.push({ heading, items: productsFor(catalogue, os).map((p) => catalogue.products[p]!.name) });
        } else if (node.kind === 'device') {
          let list = node.lists[0];
          if (!list) node.lists.push((list = { heading: node.title, items: [] }));
          const item = label(`replies.${reply}`, reply);
          if (!list.items.includes(item)) list.items.push(item);
        }
      }
    }
  }
  for (const [node, byTarget] of ways) {
    for (const [target, way] of byTarget) {
      const edge: DiagramEdge = { answer: [...way.answers].join(' / '), target };
      if (!way.always) edge.when = [...way.when].join(', ');
      node.edges.push(edge);
    }
  }
  // A node of several choice steps is named after what their ids share: choose_client_windows, … → choose_client_* (3).
  for (const node of nodes.values()) {
    if (node.kind !== 'device' && node.kind !== 'client') continue;
    node.title = node.steps.length > 1 ? `${node.steps[0]!.replace(/_[^_]*$/, '')}_* (${node.steps.length})` : node.steps[0]!;
  }

  const placed = new Set<string>();
  const main = Object.values(flow.states)
    .map((s, i) => ({ q: s.meta.question, id: Object.keys(flow.states)[i]! }))
    .filter((x) => x.q !== undefined)
    .sort((a, b) => a.q! - b.q!)
    .map(({ id }) => {
      const question = nodeOf(id);
      placed.add(question);
      return { question, outcomes: [] as string[] };
    });
  for (const row of main) {
    for (const e of nodes.get(row.question)!.edges) {
      if (nodes.get(e.target)!.kind === 'outcome' && !placed.has(e.target)) {
        placed.add(e.target);
        row.outcomes.push(e.target);
      }
    }
  }

  // Longest-path layers of what is left, below the outcomes; an edge back to a node on the current way is a loop.
  const depth = new Map<string, number>();
  const onWay = new Set<string>();
  const visit = (key: string, d: number) => {
    if (onWay.has(key) || (depth.get(key) ?? -1) >= d) return;
    depth.set(key, d);
    onWay.add(key);
    for (const e of nodes.get(key)!.edges) if (!placed.has(e.target)) visit(e.target, d + 1);
    onWay.delete(key);
  };
  for (const key of placed) for (const e of nodes.get(key)!.edges) if (!placed.has(e.target)) visit(e.target, 0);
  const layers: string[][] = [];
  for (const key of nodes.keys()) {
    if (placed.has(key)) continue;
    const d = depth.get(key) ?? layers.length;
    (layers[d] ??= []).push(key);
  }
  return { nodes, main, layers: layers.filter(Boolean) };
}

function nodeHtml(layout: DiagramLayout, key: string, labels: FlowViewLabels): string {
  const node = layout.nodes.get(key)!;
  const edges = node.edges
    .map((e) => {
      const target = layout.nodes.get(e.target)!;
      return `<li><span class="answer">${esc(e.answer)}</span> → <a href="#${esc(target.key)}">${esc(target.title)}</a>${e.when ? ` <span class="when">${esc(labels.when)} ${esc(e.when)}</span>` : ''}</li>`;
    })
    .join('');
  const lists = node.lists.length
    ? `<details><summary>${esc(labels.choices)} (${node.lists.reduce((n, l) => n + l.items.length, 0)})</summary>${node.lists
        .map((l) => `<p class="list-heading">${esc(l.heading)}</p><ul class="choices">${l.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`)
        .join('')}</details>`
    : '';
  const steps = node.steps.length > 1 || node.steps[0] !== node.title ? `<p class="steps">${node.steps.map(esc).join(', ')}</p>` : '';
  return `<div class="node ${node.kind}" id="${esc(node.key)}"><p class="title">${esc(node.title)}</p>${node.caption ? `<p class="caption">${esc(node.caption)}</p>` : ''}${steps}${edges ? `<ul class="edges">${edges}</ul>` : ''}${lists}</div>`;
}

export interface FlowViewLabels {
  notice: string;
  setup: string;
  choices: string;
  when: string;
}

/** The diagram's HTML (the page around it is html.ts's flowPage). */
export function flowDiagramHtml(layout: DiagramLayout, labels: FlowViewLabels): string {
  const main = layout.main
    .map((row) => `<div class="row">${nodeHtml(layout, row.question, labels)}<span class="arrow" aria-hidden="true">→</span><div class="outcomes">${row.outcomes.map((o) => nodeHtml(layout, o, labels)).join('')}</div></div>`)
    .join('<div class="down" aria-hidden="true">↓</div>');
  const setup = layout.layers.map((layer) => `<div class="layer">${layer.map((k) => nodeHtml(layout, k, labels)).join('')}</div>`).join('<div class="down" aria-hidden="true">↓</div>');
  return `<div class="flow"><h3>${esc(labels.notice)}</h3><div class="main">${main}</div><h3>${esc(labels.setup)}</h3><div class="setup">${setup}</div></div>`;
}
