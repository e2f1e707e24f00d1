/**
 * Entry point of /widget.js. Reads the embedding <script>'s data-* attributes, mounts the widget in a shadow
 * root and exposes window.OwariChat. The bot server is the origin the script was loaded from.
 *
 *   <script src="https://BOT_HOST/widget.js" data-lang="ja" data-color="#0b5394" data-position="right"
 *           data-open="false" async></script>
 *   data-mode="page" fills the page (used by /chat); it mounts into #owari-chat if present.
 */
import { isLang, socketUrl } from './protocol.ts';
import { safeColor } from './text.ts';
import { Widget } from './widget.ts';

interface OwariChatApi {
  open(): void;
  close(): void;
  toggle(): void;
  setLanguage(lang: string): void;
  identify(identity: { id: string; email?: string; name?: string; hash: string }): void;
  reset(): void;
  on(event: string, fn: (detail: unknown) => void): () => void;
  off(event: string, fn: (detail: unknown) => void): void;
  readonly version: string;
}

declare global {
  interface Window {
    OwariChat?: OwariChatApi;
  }
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  const all = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"]');
  return all[all.length - 1] ?? null;
}

function boot(script: HTMLScriptElement): void {
  if (window.OwariChat?.version) return; // pasted twice: keep the first
  const d = script.dataset;
  const src = script.src;
  const pageLang = document.documentElement.lang.slice(0, 2);
  const widget = new Widget({
    socketUrl: socketUrl(src),
    storageKey: `owari-chat:${new URL(src).host}`,
    lang: isLang(d.lang) ? d.lang : isLang(pageLang) ? pageLang : 'ja',
    color: safeColor(d.color) ?? '#0b5394',
    position: d.position === 'left' ? 'left' : 'right',
    mode: d.mode === 'page' ? 'page' : 'bubble',
    open: d.open === 'true',
  });
  const api: OwariChatApi = {
    open: () => widget.open(),
    close: () => widget.close(),
    toggle: () => widget.toggle(),
    setLanguage: (lang) => widget.setLanguage(lang),
    identify: (identity) => widget.identify(identity),
    reset: () => widget.reset(),
    on: (event, fn) => widget.on(event, fn),
    off: (event, fn) => widget.off(event, fn),
    version: '1',
  };
  Object.defineProperty(window, 'OwariChat', { value: Object.freeze(api), configurable: true });
  const mount = () => {
    const target = (d.mode === 'page' && document.getElementById('owari-chat')) || document.body;
    target.append(widget.host);
    widget.start();
    window.dispatchEvent(new CustomEvent('owarichat:ready'));
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

const script = findScript();
if (script) boot(script);
