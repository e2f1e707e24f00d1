/**
 * Tiny DOM builders. Content only ever enters the page as text nodes (append(string) / textContent) or as
 * attribute values; there is no innerHTML, insertAdjacentHTML or HTML string anywhere in the widget.
 */
import { linkify, safeHref } from './text.ts';

type Kid = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...kids: Kid[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const k of Object.keys(attrs)) el.setAttribute(k, attrs[k] as string);
  for (const kid of kids) if (kid) el.append(kid);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A decorative icon from a constant path (never from message data). */
export function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

export const ICONS = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm3 6v2h2v-2zm4 0v2h2v-2zm4 0v2h2v-2z',
  close: 'M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7l-1.4-1.4L9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z',
  send: 'M3 20.5V14l12-2-12-2V3.5L22 12z',
  open: 'M14 3h7v7h-2V6.4l-9.3 9.3-1.4-1.4L17.6 5H14zM5 5h6v2H6v11h11v-5h2v7H4V5z',
};

/** Anchor that opens in a new tab without giving the new page a handle on this one. */
export function anchor(href: string, text: string, className?: string, newWindowHint?: string): HTMLAnchorElement {
  const a = h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text);
  if (className) a.className = className;
  if (newWindowHint) a.append(h('span', { class: 'sr' }, newWindowHint));
  return a;
}

/** Bot text as text nodes, with http(s) URLs as links. */
export function richText(text: string, newWindowHint?: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const seg of linkify(text)) {
    frag.append(seg.kind === 'link' ? anchor(seg.href, seg.text, undefined, newWindowHint) : seg.text);
  }
  return frag;
}

/** A `links` entry as a link button, or null when its URL is not http/https/mailto/tel. */
export function linkButton(title: string, url: string, newWindowHint?: string): HTMLAnchorElement | null {
  const href = safeHref(url);
  if (!href) return null;
  const a = anchor(href, title, 'lbtn', newWindowHint);
  a.prepend(icon(ICONS.open));
  if (!/^https?:/.test(href)) a.removeAttribute('target');
  return a;
}
