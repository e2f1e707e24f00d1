/** The chat widget: DOM inside an open shadow root, one websocket, the transcript in localStorage. */
import { h, icon, ICONS, linkButton, richText } from './dom.ts';
import { strings, type Strings } from './i18n.ts';
import { decideKey, initialImeState, onCompositionEnd, onCompositionStart, type ImeState } from './keys.ts';
import {
  backoff,
  identityOf,
  parseFrame,
  restore,
  save,
  type BotFrame,
  type ClientFrame,
  type Entry,
  type Identity,
  type Lang,
  type QuickReply,
  type Saved,
} from './protocol.ts';
import { css } from './styles.ts';
import { textColorOn } from './text.ts';

export interface WidgetOptions {
  socketUrl: string;
  /** Key for localStorage, so two bot servers on one site keep separate conversations. */
  storageKey: string;
  lang: Lang;
  color: string;
  position: 'left' | 'right';
  mode: 'bubble' | 'page';
  open: boolean;
}

export type WidgetEvent = 'open' | 'close' | 'outcome' | 'message' | 'connection';
type Handler = (detail: unknown) => void;
type Conn = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'offline';

/** After this many failed attempts in a row the status says "cannot connect" (retries go on, backing off). */
const OFFLINE_AFTER = 5;

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    const s = window[kind];
    s.getItem('x');
    return s;
  } catch {
    return null; // blocked (third-party storage settings, sandboxed frame)
  }
}

export class Widget {
  readonly host: HTMLElement;
  private readonly opts: WidgetOptions;
  private readonly root: HTMLDivElement;
  private readonly els: ReturnType<Widget['build']>;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly store = storage('localStorage');
  private readonly session = storage('sessionStorage');
  private saved: Saved;
  private lang: Lang;
  private t: Strings;
  private isOpen = false;
  private ws: WebSocket | null = null;
  private conn: Conn = 'idle';
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private queue: string[] = [];
  private ime: ImeState = initialImeState();
  /** After a welcome_back the server repeats the current question; do not show it twice. */
  private dedupe = false;
  /** Set when we asked to resume this id; a `session` with another id means a new conversation. */
  private resuming: string | undefined;
  /** The customer answered from the quick replies with the keyboard: focus the next ones. */
  private focusReplies = false;
  /** The portal's signed customer identity: kept in memory only (the portal sets it on every page). */
  private identity: Identity | undefined;

  constructor(opts: WidgetOptions) {
    this.opts = opts;
    this.saved = restore(this.store?.getItem(opts.storageKey) ?? null);
    this.lang = this.saved.lang ?? opts.lang;
    this.t = strings[this.lang];
    this.host = document.createElement('owari-chat');
    const shadow = this.host.attachShadow({ mode: 'open' });
    const sheetText = css;
    if ('adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
      // Constructed sheets need no style-src 'unsafe-inline' in the portal's CSP.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(sheetText);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.append(h('style', {}, sheetText));
    }
    this.root = h('div', { class: `root ${opts.mode} ${opts.position}` });
    this.root.style.setProperty('--accent', opts.color);
    const onAccent = opts.color.startsWith('#') ? textColorOn(opts.color) : '#fff';
    this.root.style.setProperty('--on-accent', onAccent);
    this.root.style.setProperty('--ink', onAccent === '#fff' ? opts.color : '#1f3a5f');
    this.els = this.build();
    shadow.append(this.root);
    this.applyStrings();
    // History goes in before the log is in the document, so screen readers announce only new messages.
    for (const e of this.saved.history) this.renderEntry(e);
    this.renderReplies(this.saved.replies ?? []);
    window.addEventListener('online', () => this.reconnectNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && (this.conn === 'reconnecting' || this.conn === 'offline')) {
        this.reconnectNow();
      }
    });
  }

  /** Opens on load when asked to, when in page mode, or when it was open on the previous page of this site. */
  start(): void {
    if (this.opts.mode === 'page' || this.opts.open || this.session?.getItem(this.opts.storageKey + ':open') === '1') {
      this.open(false);
    }
  }

  // ---------------------------------------------------------------- host page API

  open(focus = true): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.els.panel.hidden = false;
    this.root.classList.add('open');
    this.els.launcher.setAttribute('aria-expanded', 'true');
    if (this.opts.mode === 'bubble') this.session?.setItem(this.opts.storageKey + ':open', '1');
    if (this.conn === 'idle') this.connect();
    this.scrollDown();
    if (focus) this.els.input.focus();
    this.emit('open', {});
  }

  close(): void {
    if (!this.isOpen || this.opts.mode === 'page') return;
    this.isOpen = false;
    this.els.panel.hidden = true;
    this.root.classList.remove('open');
    this.els.launcher.setAttribute('aria-expanded', 'false');
    this.session?.removeItem(this.opts.storageKey + ':open');
    // Focus goes back to the launcher if it was in the chat (not when the portal closes it from elsewhere).
    if ((this.host.shadowRoot as ShadowRoot).activeElement) this.els.launcher.focus();
    this.emit('close', {});
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  setLanguage(lang: string): void {
    if ((lang !== 'ja' && lang !== 'en') || lang === this.lang) return;
    this.lang = lang;
    this.t = strings[lang];
    this.saved.lang = lang;
    this.persist();
    this.applyStrings();
    // The server switches the conversation's language when told so in words (protocol: "English" / "日本語").
    if (this.conn !== 'idle') this.sendText(lang === 'en' ? 'English' : '日本語');
  }

  /** Tells the bot who the portal's logged-in customer is: sent with the greeting, or now on the current conversation. */
  identify(claim: unknown): void {
    const identity = identityOf(claim);
    if (!identity) return;
    this.identity = identity;
    if (this.conn === 'open') this.frame({ type: 'identify', user: this.saved.user, identity });
  }

  /**
   * The portal's logout: forgets the conversation, its transcript and the identity (in memory and in the
   * browser's storage) and starts over with a new greeting, now if the chat is open, else when it opens.
   */
  reset(): void {
    const ws = this.ws;
    this.ws = null; // its close must not schedule a reconnect
    ws?.close();
    clearTimeout(this.timer);
    this.showTyping(false);
    this.queue = [];
    this.identity = undefined;
    this.resuming = undefined;
    this.dedupe = false;
    this.attempt = 0;
    this.saved = { v: 1, history: [] };
    try {
      this.store?.removeItem(this.opts.storageKey);
      this.session?.removeItem(this.opts.storageKey + ':open');
    } catch {
      /* storage blocked: nothing was kept there */
    }
    this.els.input.value = '';
    this.els.log.textContent = '';
    this.renderReplies([]);
    this.setConn('idle');
    if (this.isOpen) {
      if (this.opts.mode === 'bubble') this.session?.setItem(this.opts.storageKey + ':open', '1');
      this.connect();
    }
  }

  on(event: string, fn: Handler): () => void {
    if (typeof fn !== 'function') return () => undefined;
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  off(event: string, fn: Handler): void {
    this.handlers.get(event)?.delete(fn);
  }

  private emit(event: WidgetEvent, detail: unknown): void {
    for (const fn of this.handlers.get(event) ?? []) {
      try {
        fn(detail);
      } catch (err) {
        // A portal's handler must not break the chat.
        setTimeout(() => {
          throw err;
        });
      }
    }
  }

  // ---------------------------------------------------------------- DOM

  private build() {
    const launcher = h('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'oc-panel' });
    const launcherLabel = h('span', { class: 'lbl' });
    const chatIcon = icon(ICONS.chat);
    const closeIcon = icon(ICONS.close);
    closeIcon.classList.add('x');
    launcher.append(chatIcon, closeIcon, launcherLabel);
    const title = h('h2', { id: 'oc-title' });
    const subtitle = h('p', { class: 'sub' });
    const langBtn = h('button', { class: 'hbtn', type: 'button' });
    const closeBtn = h('button', { class: 'hbtn', type: 'button' }, icon(ICONS.close));
    const statusText = h('span');
    const retry = h('button', { type: 'button' });
    const status = h('div', { class: 'status', role: 'status', id: 'oc-status' }, statusText, retry);
    const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
    const typingText = h('span');
    const typing = h('div', { class: 'typing', hidden: '' }, h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), typingText);
    const replies = h('div', { class: 'replies', role: 'group' });
    const input = h('input', { type: 'text', autocomplete: 'off', enterkeyhint: 'send', maxlength: '500', id: 'oc-input' });
    const inputLabel = h('label', { class: 'sr', for: 'oc-input' });
    const send = h('button', { class: 'send', type: 'button' }, icon(ICONS.send));
    const back = h('button', { class: 'tool', type: 'button' });
    const restart = h('button', { class: 'tool', type: 'button' });
    const header = h('div', { class: 'head' }, h('div', { class: 'titles' }, title, subtitle), langBtn);
    if (this.opts.mode === 'bubble') header.append(closeBtn);
    const panel = h(
      'div',
      { class: 'panel', id: 'oc-panel', role: this.opts.mode === 'page' ? 'main' : 'dialog', 'aria-labelledby': 'oc-title', hidden: '' },
      header,
      status,
      log,
      typing,
      h('div', { class: 'foot' }, replies, h('div', { class: 'row' }, inputLabel, input, send), h('div', { class: 'tools' }, back, restart)),
    );
    status.hidden = true;
    if (this.opts.mode === 'bubble') this.root.append(launcher);
    this.root.append(panel);

    launcher.addEventListener('click', () => this.toggle());
    closeBtn.addEventListener('click', () => this.close());
    langBtn.addEventListener('click', () => this.setLanguage(this.t.switchToLang));
    retry.addEventListener('click', () => this.reconnectNow());
    send.addEventListener('click', () => this.submit());
    back.addEventListener('click', () => this.command('back', this.t.back));
    restart.addEventListener('click', () => this.command('restart', this.t.restart));
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.isComposing) {
        e.stopPropagation();
        this.close();
      }
    });
    input.addEventListener('compositionstart', () => (this.ime = onCompositionStart(this.ime)));
    input.addEventListener('compositionend', (e) => (this.ime = onCompositionEnd(this.ime, e.timeStamp)));
    input.addEventListener('keydown', (e) => {
      if (decideKey(e, this.ime) === 'send') {
        e.preventDefault();
        this.submit();
      }
    });
    return { launcher, launcherLabel, title, subtitle, langBtn, closeBtn, status, statusText, retry, log, typing, typingText, replies, input, inputLabel, send, back, restart, panel };
  }

  private applyStrings(): void {
    const { t, els } = this;
    this.root.lang = this.lang;
    els.launcher.setAttribute('aria-label', t.launcher);
    els.launcherLabel.textContent = t.launcherShort;
    els.title.textContent = t.title;
    els.subtitle.textContent = t.subtitle;
    els.langBtn.textContent = t.switchTo;
    els.langBtn.lang = t.switchToLang;
    els.langBtn.setAttribute('aria-label', t.switchLabel);
    els.closeBtn.setAttribute('aria-label', t.close);
    els.log.setAttribute('aria-label', t.log);
    els.typingText.textContent = t.typing;
    els.replies.setAttribute('aria-label', t.replies);
    els.input.placeholder = t.placeholder;
    els.inputLabel.textContent = t.inputLabel;
    els.send.setAttribute('aria-label', t.send);
    els.back.textContent = t.back;
    els.restart.textContent = t.restart;
    els.retry.textContent = t.retry;
    this.renderStatus();
  }

  private renderEntry(e: Entry): void {
    const who = e.from === 'bot' ? this.t.bot : e.from === 'user' ? this.t.you : '';
    const el = h('div', { class: `msg ${e.from}` }, who && h('span', { class: 'sr' }, `${who}: `));
    if (e.from === 'bot') el.append(richText(e.text, this.t.newWindow));
    else el.append(e.text);
    const buttons = (e.links ?? []).map((l) => linkButton(l.title, l.url, this.t.newWindow)).filter(Boolean);
    if (buttons.length) el.append(h('div', { class: 'links' }, ...buttons));
    this.els.log.append(el);
    this.scrollDown(e.from === 'bot' ? el : undefined);
  }

  private renderReplies(replies: QuickReply[]): void {
    const box = this.els.replies;
    const hadFocus = this.focusReplies || box.contains((this.host.shadowRoot as ShadowRoot).activeElement);
    this.focusReplies = false;
    box.textContent = ''; // (not replaceChildren: Safari < 14 and Chrome < 86 lack it)
    for (const q of replies) {
      const b = h('button', { class: 'qr', type: 'button' }, q.title);
      b.addEventListener('click', () => this.reply(q));
      box.append(b);
    }
    box.hidden = replies.length === 0;
    // Keyboard users who answered with a quick reply land on the next question's first answer.
    if (hadFocus && this.isOpen) ((box.firstElementChild as HTMLElement | null) ?? this.els.input).focus();
  }

  /** Answered: the old choices stay in place (so focus is not lost) but do nothing until the bot replies. */
  private retireReplies(): void {
    const box = this.els.replies;
    this.focusReplies = box.contains((this.host.shadowRoot as ShadowRoot).activeElement);
    for (const b of Array.from(box.children)) b.setAttribute('aria-disabled', 'true');
    this.saved.replies = [];
  }

  private renderStatus(): void {
    const { status, statusText, retry, input } = this.els;
    const c = this.conn;
    status.hidden = c === 'open' || c === 'idle' || (c === 'connecting' && this.attempt === 0);
    statusText.textContent = c === 'offline' ? this.t.offline : c === 'connecting' ? this.t.connecting : this.t.reconnecting;
    retry.hidden = c !== 'offline';
    if (status.hidden) input.removeAttribute('aria-describedby');
    else input.setAttribute('aria-describedby', 'oc-status');
  }

  /** To the end of the log — or, for a bot message taller than the log, to its start, so it reads from the top. */
  private scrollDown(from?: HTMLElement): void {
    const log = this.els.log;
    const target = from && from.offsetHeight > log.clientHeight - 16 ? from.offsetTop - 8 : log.scrollHeight;
    log.scrollTop = target;
  }

  private showTyping(on: boolean): void {
    clearTimeout(this.typingTimer);
    this.els.typing.hidden = !on;
  }

  // ---------------------------------------------------------------- conversation

  private add(e: Entry): void {
    this.saved.history.push(e);
    this.persist();
    this.renderEntry(e);
  }

  private persist(): void {
    try {
      this.store?.setItem(this.opts.storageKey, save(this.saved));
    } catch {
      /* quota: keep going without persistence */
    }
  }

  private submit(): void {
    const text = this.els.input.value.trim();
    if (!text) return;
    this.els.input.value = '';
    this.add({ from: 'user', text });
    this.emit('message', { from: 'user', text });
    this.sendText(text);
  }

  private reply(q: QuickReply): void {
    if (this.els.replies.firstElementChild?.getAttribute('aria-disabled')) return;
    this.add({ from: 'user', text: q.title });
    this.emit('message', { from: 'user', text: q.title, payload: q.payload });
    this.sendText(q.payload);
  }

  private command(payload: 'back' | 'restart', label: string): void {
    this.add({ from: 'user', text: label });
    this.sendText(payload);
  }

  private sendText(text: string): void {
    this.retireReplies();
    this.dedupe = false;
    this.queue.push(text);
    if (this.conn === 'open') this.flush();
    else if (this.conn === 'idle') this.connect();
    // Show "typing" if the answer does not come at once.
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.showTyping(true), 400);
  }

  private frame(f: Omit<ClientFrame, 'channel' | 'lang'>): void {
    this.ws?.send(JSON.stringify({ ...f, channel: 'webchat', lang: this.lang }));
  }

  private flush(): void {
    const user = this.saved.user;
    for (const text of this.queue.splice(0)) this.frame({ type: 'message', user, text });
  }

  private onFrame(f: BotFrame | null): void {
    if (!f) return;
    switch (f.type) {
      case 'session':
        if (this.resuming && this.resuming !== f.user && this.saved.history.length) {
          this.add({ from: 'note', text: this.t.newConversation });
          this.dedupe = false;
        }
        this.resuming = undefined;
        this.saved.user = f.user;
        this.persist();
        break;
      case 'typing':
        this.showTyping(true);
        break;
      case 'error':
        this.showTyping(false);
        if (f.text) this.add({ from: 'note', text: f.text });
        for (const b of Array.from(this.els.replies.children)) b.removeAttribute('aria-disabled');
        break;
      case 'message': {
        this.showTyping(false);
        const last = this.saved.history[this.saved.history.length - 1];
        const repeat = this.dedupe && last?.from === 'bot' && last.text === f.text;
        this.dedupe = false;
        if (!repeat) {
          this.add({ from: 'bot', text: f.text, links: f.links.length ? f.links : undefined });
          this.emit('message', { from: 'bot', text: f.text, links: f.links, quick_replies: f.quick_replies, state: f.state, outcome: f.outcome });
          if (f.outcome) this.emit('outcome', { outcome: f.outcome, state: f.state });
        }
        this.saved.replies = f.quick_replies;
        this.persist();
        this.renderReplies(f.quick_replies);
        break;
      }
    }
  }

  // ---------------------------------------------------------------- connection

  private setConn(c: Conn): void {
    this.conn = c;
    this.renderStatus();
    this.emit('connection', { state: c });
  }

  private connect(): void {
    clearTimeout(this.timer);
    this.setConn(this.attempt === 0 ? 'connecting' : this.attempt >= OFFLINE_AFTER ? 'offline' : 'reconnecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.socketUrl);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setConn('open');
      const user = this.saved.user;
      this.resuming = user;
      this.dedupe = !!user;
      const identity = this.identity;
      this.frame(user ? { type: 'welcome_back', user, identity } : { type: 'hello', identity });
      this.flush();
    };
    // A socket left behind by reset() may still deliver a frame: only the current one speaks.
    ws.onmessage = (e) => {
      if (this.ws === ws) this.onFrame(parseFrame(e.data));
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.showTyping(false);
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.attempt++;
    this.setConn(this.attempt >= OFFLINE_AFTER ? 'offline' : 'reconnecting');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), backoff(this.attempt - 1));
  }

  private reconnectNow(): void {
    if (this.conn === 'open' || this.conn === 'idle' || this.conn === 'connecting') return;
    this.connect();
  }
}

