/** One i18next instance for the whole process, created at start-up from locales/ data. */
import i18next, { type InitOptions, type Resource } from 'i18next';
import { languages, type Lang } from './wire.ts';

export type Vars = Record<string, string | number>;
export type Translate = (lang: Lang, key: string, vars?: Vars) => string;

export const DEFAULT_NAMESPACE = 'flow';

/** How the bot's i18next instance is set up (also the reference the fast path is tested against). */
export function i18nextOptions(resources: Resource): InitOptions {
  return {
    resources,
    lng: 'ja',
    fallbackLng: 'ja',
    supportedLngs: [...languages],
    ns: Object.keys(resources.ja ?? {}),
    defaultNS: DEFAULT_NAMESPACE,
    initAsync: false,
    // Sentences are plain text (protocol.md): nothing is ever rendered as HTML, so escaping would only garble URLs.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  };
}

export function createTranslate(resources: Resource): Translate {
  const instance = i18next.createInstance();
  void instance.init(i18nextOptions(resources));
  const fixed = Object.fromEntries(languages.map((l) => [l, instance.getFixedT(l)])) as Record<Lang, (key: string, vars?: Vars) => string>;

  // Fast path: i18next's per-call key resolution and interpolation were the largest part of a turn.
  // A sentence that is a plain string with only {{name}} placeholders is split once into parts and joined per
  // call; anything else — missing key, plural/context options, nesting, formatting, a variable not supplied —
  // goes to i18next as before. test/scale/i18n-fast-path.test.ts checks every sentence gives the same text.
  const templates = new Map<string, string[] | null>();
  const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
  const compile = (lang: Lang, key: string): string[] | null => {
    const sep = key.indexOf(':');
    const ns = sep > 0 ? key.slice(0, sep) : DEFAULT_NAMESPACE;
    const path = sep > 0 ? key.slice(sep + 1) : key;
    const raw = instance.getResource(lang, ns, path) ?? instance.getResource('ja', ns, path);
    if (typeof raw !== 'string' || raw.includes('$t(') || /\{\{(?!\s*[A-Za-z0-9_]+\s*\}\})/.test(raw)) return null;
    return raw.split(PLACEHOLDER);
  };
  const slow = (lang: Lang, key: string, vars?: Vars) => fixed[lang](key, vars);
  return (lang, key, vars) => {
    if (vars && ('count' in vars || 'context' in vars)) return slow(lang, key, vars);
    const id = `${lang}\u0000${key}`;
    let parts = templates.get(id);
    if (parts === undefined) {
      parts = compile(lang, key);
      templates.set(id, parts);
    }
    if (parts === null) return slow(lang, key, vars);
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const value = vars?.[parts[i]!];
      if (value === undefined) return slow(lang, key, vars);
      out += String(value) + parts[i + 1]!;
    }
    return out;
  };
}
