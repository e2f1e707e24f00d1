/**
 * The autoconfig sentences the HTTP side needs (profile names, the Japanese 400 explanation, the form page):
 * locales/<lang>/autoconfig.json as loaded at start-up with the rest of the data (src/flow/load.ts).
 * Interpolation follows i18next's syntax ({{name}}, {{- name}}) and only ever receives operator settings
 * (domain, display name) or an already validated address — never raw customer input.
 */
import type { Resource } from 'i18next';

export type Lang = 'ja' | 'en';

export interface Texts {
  /** The text at a dotted key (e.g. "profile.error.syntax"), interpolated; throws if the key is missing. */
  t(key: string, vars?: Record<string, string>): string;
}

/** The `autoconfig` namespace of `resources` in `lang`. */
export function autoconfigTexts(resources: Resource, lang: Lang): Texts {
  const data: unknown = resources[lang]?.autoconfig;
  return {
    t(key, vars = {}) {
      let node: unknown = data;
      for (const part of key.split('.')) {
        node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
      }
      if (typeof node !== 'string') throw new Error(`locales/${lang}/autoconfig.json: missing text "${key}"`);
      return interpolate(node, vars);
    },
  };
}

export function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{-?\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
}
