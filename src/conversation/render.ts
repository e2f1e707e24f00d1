/** Turns a flow step (sentence keys, reply ids, link kinds) into a protocol message in one language. */
import { expandClientReply } from '../flow/bundle.ts';
import { productsFor, resolveEdition, type Catalogue, type Os } from '../flow/catalogue.ts';
import type { FlowData } from '../flow/flow-data.ts';
import { ACCOUNT_KNOWN, situationOf } from '../flow/situation.ts';
import type { FlowContext } from '../flow/machine.ts';
import type { ContactSettings, MailSettings } from '../config.ts';
import type { Translate, Vars } from './i18n.ts';
import type { BotMessage, Lang, Link, QuickReply } from './wire.ts';
import { autoconfigShortcut } from './shortcuts.ts';
import { getOrCreate } from '../support/get-or-create.ts';
import { BoundedCache } from '../support/bounded-cache.ts';

export interface SiteSettings {
  mail: MailSettings;
  contact: ContactSettings;
  rentalServerUrl: string;
  manualBaseUrl: string;
  /** Where customers reach this server (for links to its own pages, e.g. the mail profile). */
  publicBaseUrl: string;
}

export interface RenderDeps {
  flow: FlowData;
  catalogue: Catalogue;
  t: Translate;
  site: SiteSettings;
}

/** Variables every sentence may use; one place, so a port changed in config changes every answer. */
export function baseVars(site: SiteSettings): Vars {
  return {
    domain: site.mail.domain,
    popHost: site.mail.incoming.host,
    popPort: site.mail.incoming.port,
    smtpHost: site.mail.outgoing.host,
    smtpPort: site.mail.outgoing.port,
    contactUrl: site.contact.url,
    contactPhone: site.contact.phone,
    contactHours: site.contact.hours,
    rentalUrl: site.rentalServerUrl,
  };
}

/** A product's name as customers of `lang` write it (locales/<lang>/flow.json clients.<product>.name). */
export function clientName(deps: RenderDeps, lang: Lang, product: string): string {
  return deps.catalogue.products[product] ? deps.t(lang, `clients.${product}.name`) : product;
}

export function clientLabel(deps: RenderDeps, lang: Lang, product: string, os?: Os): string {
  const entry = deps.catalogue.products[product];
  if (!entry) return product;
  const edition = resolveEdition(deps.catalogue, product, os)?.edition;
  const v = edition?.version;
  const name = clientName(deps, lang, product);
  const label = !v ? name : 'min' in v ? deps.t(lang, 'client_label.since', { name, version: v.min }) : deps.t(lang, 'client_label.exact', { name, version: v.exact });
  return edition?.note ? deps.t(lang, 'client_label.with_note', { label, note: deps.t(lang, `note.${edition.note}`) }) : label;
}

/** Sentence variables that depend on what the customer told us (client, OS, version, account). */
export function contextVars(deps: RenderDeps, lang: Lang, context: FlowContext): Vars {
  const vars: Vars = { ...clientVars(deps, lang, context), account: context.account ?? deps.t(lang, 'account_placeholder') };
  if (context.version !== undefined && context.product) vars.yourClient = deps.t(lang, 'client_label.exact', { name: vars.productName!, version: context.version });
  return vars;
}

function clientVars(deps: RenderDeps, lang: Lang, context: FlowContext): Vars {
  const base = baseVars(deps.site);
  const found = resolveEdition(deps.catalogue, context.product, context.os);
  const productName = context.product ? clientName(deps, lang, context.product) : deps.t(lang, 'generic_client');
  return {
    ...base,
    security: deps.t(lang, `security.${deps.site.mail.outgoing.tls}`),
    clientName: context.product ? clientLabel(deps, lang, context.product, found?.os) : deps.t(lang, 'generic_client'),
    productName,
    yourClient: productName,
    manualUrl: found ? new URL(found.edition.manual, deps.site.manualBaseUrl).href : deps.site.manualBaseUrl,
    where: context.product ? deps.t(lang, `clients.${context.product}.where`, base) : '',
    // Software not in the list has no edition: the system the customer named still tells what runs there.
    osName: found ? deps.t(lang, `replies.${found.os}`) : context.os ? deps.t(lang, `replies.${context.os}`) : '',
    alternatives: alternativesTo(deps, lang, context.product, found?.os ?? context.os),
  };
}

/**
 * The mail software still developed (catalogue status `current`) that runs on `os`, other than `product`, as one
 * list in `lang`: what a customer whose software cannot send any more can switch to.
 */
function alternativesTo(deps: RenderDeps, lang: Lang, product: string | undefined, os: Os | undefined): string {
  if (!os) return '';
  return productsFor(deps.catalogue, os)
    .filter((p) => p !== product && deps.catalogue.products[p]!.status === 'current')
    .map((p) => clientLabel(deps, lang, p, os))
    .join(deps.t(lang, 'list_separator'));
}

/** The buttons of a reply list (flow data or a constant list). */
export function quickReplies(deps: RenderDeps, lang: Lang, replies: readonly string[]): QuickReply[] {
  return replies.flatMap((id) => {
    const os = expandClientReply(id) as Os | undefined;
    if (os) return productsFor(deps.catalogue, os).map((p) => ({ title: clientLabel(deps, lang, p, os), payload: p }));
    return [{ title: deps.t(lang, `replies.${id}`), payload: id }];
  });
}

function links(deps: RenderDeps, lang: Lang, kinds: readonly string[], vars: Vars, context: FlowContext): Link[] {
  return kinds.flatMap((kind): Link[] => {
    if (kind === 'manual') {
      return resolveEdition(deps.catalogue, context.product, context.os)
        ? [{ title: deps.t(lang, 'links.manual', vars), url: String(vars.manualUrl) }]
        : [];
    }
    if (kind === 'contact') return [{ title: deps.t(lang, 'links.contact'), url: deps.site.contact.url }];
    return [{ title: deps.t(lang, 'links.rental'), url: deps.site.rentalServerUrl }];
  });
}

/** Link buttons for our own well-known pages a sentence mentions, so every URL in text is also tappable. */
export function linksMentioned(deps: RenderDeps, lang: Lang, text: string, vars: Vars = {}): Link[] {
  const known: [string, string][] = [
    [deps.site.contact.url, deps.t(lang, 'links.contact')],
    [deps.site.rentalServerUrl, deps.t(lang, 'links.rental')],
    // The manual of the customer's client, when a sentence gives it (「マニュアルのリンクもう一回出して」).
    ...(typeof vars.manualUrl === 'string' && vars.manualUrl !== deps.site.manualBaseUrl ? [[vars.manualUrl, deps.t(lang, 'links.manual', vars)] as [string, string]] : []),
  ];
  return known.filter(([url]) => text.includes(url)).map(([url, title]) => ({ title, url }));
}

export interface RenderedStep {
  message: BotMessage;
  /** Sentence keys said, in order (for tests and staff transcripts). */
  keys: string[];
}

/** A sentence computed from what the customer told us (`@name` in meta.say), or undefined when there is none. */
function computed(deps: RenderDeps, lang: Lang, name: string, context: FlowContext): { key: string; text: string; link?: Link } | undefined {
  // The programs confirmed on the customer's system: only once the system is known.
  if (name === '@confirmed_clients') {
    const key = 'steps.client_not_listed.confirmed';
    return context.os ? { key, text: deps.t(lang, key, contextVars(deps, lang, context)) } : undefined;
  }
  if (name !== '@autoconfig_shortcut' || !context.product) return undefined;
  const shortcut = autoconfigShortcut({ product: context.product, account: context.account, mail: deps.site.mail, publicBaseUrl: deps.site.publicBaseUrl });
  if (!shortcut) return undefined;
  return {
    key: shortcut.sentenceKey,
    text: deps.t(lang, shortcut.sentenceKey, shortcut.vars),
    link: shortcut.link && { title: deps.t(lang, shortcut.link.titleKey, shortcut.vars), url: shortcut.link.url },
  };
}

/** Languages × steps × prefixes × clients, of which customers meet a few hundred. */
const REMEMBERED_RENDERINGS = 2_000;
/** Per RenderDeps, which never change after start-up (a new flow or config is a new RenderDeps): nothing kept goes stale. */
const renderings = new WeakMap<RenderDeps, BoundedCache<string, RenderedStep>>();

/** What the bot knows about the customer beyond their answers. */
export interface Situation {
  /** Their address is in OWARI_NETWORKS. */
  onOwariNetwork?: boolean;
}

/**
 * A step as a protocol message, with the sentence keys it said. Most turns render a step already rendered for
 * another conversation with the same client, so renderings are remembered by everything they read; the message
 * is then shared by those conversations. Contexts holding an account name are rendered every time and never
 * kept (no personal data in this memory). The keys are the caller's own copy.
 */
export function renderStep(deps: RenderDeps, lang: Lang, step: string, context: FlowContext, prefixKeys: string[] = [], situation: Situation = {}): RenderedStep {
  if (context.account !== undefined) return render(deps, lang, step, context, prefixKeys, situation);
  const key = `${lang}\0${step}\0${situation.onOwariNetwork ? 1 : 0}\0${context.product ?? ''}\0${context.os ?? ''}\0${context.version ?? ''}\0${prefixKeys.join('\0')}`;
  const rendered = getOrCreate(renderings, deps, () => new BoundedCache<string, RenderedStep>(REMEMBERED_RENDERINGS)).getOrCreate(key, () => {
    const fresh = render(deps, lang, step, context, prefixKeys, situation);
    rememberedMessages.add(fresh.message);
    return fresh;
  });
  return { message: rendered.message, keys: [...rendered.keys] };
}

/** The messages renderStep remembers. */
const rememberedMessages = new WeakSet<object>();
/** Whether `message` is one renderStep remembers (shared, never changed), so what is made from it alone, its frame's bytes, may be kept with it. */
export const isRememberedRendering = (message: object): boolean => rememberedMessages.has(message);

function render(deps: RenderDeps, lang: Lang, step: string, context: FlowContext, prefixKeys: string[], situation: Situation): RenderedStep {
  const meta = deps.flow.states[step]!.meta;
  if (situation.onOwariNetwork && meta.networkHint) prefixKeys = [...prefixKeys, meta.networkHint];
  const vars = contextVars(deps, lang, context);
  const keys: string[] = [];
  const texts: string[] = [];
  const extraLinks: Link[] = [];
  for (const key of [...prefixKeys, ...meta.say]) {
    if (!key.startsWith('@')) {
      keys.push(key);
      texts.push(deps.t(lang, key, vars));
      continue;
    }
    const sentence = computed(deps, lang, key, context);
    if (!sentence) continue;
    keys.push(sentence.key);
    texts.push(sentence.text);
    if (sentence.link) extraLinks.push(sentence.link);
  }
  const message: BotMessage = {
    type: 'message',
    text: texts.join('\n\n'),
    quick_replies: quickReplies(deps, lang, meta.replies),
    state: step,
  };
  const attached = [...extraLinks, ...links(deps, lang, meta.links ?? [], vars, context)];
  if (attached.length > 0) message.links = attached;
  if (meta.outcome) message.outcome = meta.outcome;
  return { message, keys };
}

/** The buttons after an aside when the step still waits for an answer: back to it, or start over. */
const CONTINUE_OR_RESTART = ['continue', 'restart'] as const;

/**
 * What follows an aside (an FAQ answer, an error explanation, an offer of a person): the way back to the
 * question still open at `step`, or, at a step that asks nothing (a verdict, the settings, the end), that
 * step's own choices — "continue" there would only repeat what was just said.
 */
export function afterAside(deps: RenderDeps, lang: Lang, step: string): { keys: string[]; replies: QuickReply[] } {
  const meta = deps.flow.states[step]!.meta;
  if (meta.expects === 'none') return { keys: [], replies: quickReplies(deps, lang, meta.replies) };
  return { keys: ['common.continue_offer'], replies: quickReplies(deps, lang, CONTINUE_OR_RESTART) };
}

/**
 * An FAQ answer that starts from what the conversation already knows: `locales/<lang>/faq.json` may hold,
 * next to `<id>`, variants `<id>_<situation>` (i18next's context), and the one for the conversation's situation
 * is said instead when it exists. The key returned names the sentence said.
 */
export function faqAnswer(deps: RenderDeps, lang: Lang, id: string, step: string, context: FlowContext): { key: string; text: string } {
  const key = `faq:${id}`;
  const vars = contextVars(deps, lang, context);
  const text = deps.t(lang, key, vars);
  // 「アカウント名って何？アドレスは yamada.k@owari.ne.jp です」: the customer's own account first, where a variant says it.
  if (context.account !== undefined) {
    const own = deps.t(lang, key, { ...vars, context: ACCOUNT_KNOWN });
    if (own !== text) return { key: `${key}_${ACCOUNT_KNOWN}`, text: own };
  }
  const situation = situationOf(deps.flow, step, context);
  if (!situation) return { key, text };
  const variant = deps.t(lang, key, { ...vars, context: situation });
  return variant === text ? { key, text } : { key: `${key}_${situation}`, text: variant };
}
