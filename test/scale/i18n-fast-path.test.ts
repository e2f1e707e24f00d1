/** The translate fast path (src/conversation/i18n.ts) gives exactly i18next's text for every sentence. */
import i18next, { type Resource } from 'i18next';
import { describe, expect, it } from 'vitest';
import { createTranslate, DEFAULT_NAMESPACE, i18nextOptions } from '../../src/conversation/i18n.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { languages } from '../../src/conversation/wire.ts';

const data = loadDataOrThrow();

function keysOf(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe('translate fast path', () => {
  const resources: Resource = data.resources;
  const fast = createTranslate(resources);
  const reference = i18next.createInstance();
  void reference.init(i18nextOptions(resources));
  const names = ['smtpPort', 'smtpHost', 'domain', 'contactUrl', 'contactPhone', 'displayName', 'contactHours', 'reference', 'clientName', 'popHost', 'address', 'version', 'url', 'popPort', 'name', 'manualUrl', 'where', 'security', 'rentalUrl', 'n', 'minVersion', 'max', 'days', 'account', 'rentalUrl'];
  const all = Object.fromEntries(names.map((n, i) => [n, i % 3 === 0 ? i * 7 : `v-${n}-値`]));
  const some = Object.fromEntries(names.filter((_, i) => i % 2 === 0).map((n) => [n, `s-${n}`]));

  it('agrees with i18next on every key of every namespace, in every language, with all, some and no variables', () => {
    let checked = 0;
    for (const lang of languages) {
      for (const [ns, tree] of Object.entries(resources.ja ?? {})) {
        for (const key of keysOf(tree)) {
          const full = ns === DEFAULT_NAMESPACE ? key : `${ns}:${key}`;
          for (const vars of [all, some, undefined]) {
            expect(fast(lang, full, vars), `${lang} ${full}`).toBe(reference.getFixedT(lang)(full, vars));
            checked++;
          }
        }
      }
      expect(fast(lang, 'no.such.key')).toBe(reference.getFixedT(lang)('no.such.key'));
    }
    expect(checked).toBeGreaterThan(100);
  });
});
