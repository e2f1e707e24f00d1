/** Every sentence exists in every language, and every sentence in locales/ is one the bot can say. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODE_SENTENCE_KEYS } from '../../src/flow/check.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';

// Missing, extra and mismatched sentences are the loader's checks (test/flow/check.test.ts).
const { bundle: { flow, catalogue }, resources: locales } = loadDataOrThrow();

function leaves(tree: unknown, prefix = ''): string[] {
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : leaves(v, `${prefix}${k}.`),
  );
}

describe('locales', () => {
  it('has no sentence in the flow namespace that no step and no part of the bot uses', () => {
    const used = new Set<string>(CODE_SENTENCE_KEYS);
    for (const step of Object.values(flow.states)) {
      step.meta.say.forEach((k) => used.add(k));
      if (step.meta.unsure) used.add(step.meta.unsure);
      if (step.meta.networkHint) used.add(step.meta.networkHint);
      step.meta.replies.forEach((r) => used.add(`replies.${r}`));
    }
    for (const [id, product] of Object.entries(catalogue.products)) {
      used.add(`clients.${id}.name`);
      used.add(`clients.${id}.where`);
      for (const edition of Object.values(product.editions)) if (edition?.note) used.add(`note.${edition.note}`);
    }
    for (const lang of Object.keys(locales)) {
      const unused = leaves(locales[lang]!.flow).filter((k) => !used.has(k));
      expect(unused, `locales/${lang}/flow.json`).toEqual([]);
    }
  });

  it('lists in CODE_SENTENCE_KEYS only keys the conversation code really says', () => {
    const code = readdirSync('src/conversation')
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(`src/conversation/${f}`, 'utf8'))
      .join('\n');
    const dynamicFamilies = [/^errors\./, /^security\./];
    // Quick replies are named by their payload id (quickReplies(…, ['continue', 'restart'])).
    const literal = (k: string) => (k.startsWith('replies.') ? `'${k.slice('replies.'.length)}'` : `'${k}'`);
    const unspoken = CODE_SENTENCE_KEYS.filter((k) => !dynamicFamilies.some((f) => f.test(k)) && !code.includes(literal(k)));
    expect(unspoken).toEqual([]);
  });
});
