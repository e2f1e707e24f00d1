/** One i18next instance for the whole process, created at start-up from locales/ data. */
import i18next, { type Resource } from 'i18next';
import { languages, type Lang } from './wire.ts';

export type Vars = Record<string, string | number>;
export type Translate = (lang: Lang, key: string, vars?: Vars) => string;

export const DEFAULT_NAMESPACE = 'flow';

export function createTranslate(resources: Resource): Translate {
  const instance = i18next.createInstance();
  void instance.init({
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
  });
  const fixed = Object.fromEntries(languages.map((l) => [l, instance.getFixedT(l)])) as Record<Lang, (key: string, vars?: Vars) => string>;
  return (lang, key, vars) => fixed[lang](key, vars);
}
