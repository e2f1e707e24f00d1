import { describe, expect, it } from 'vitest';
import type { DataProblem } from '../../src/flow/flow-data.ts';
import { readRawData } from '../../src/flow/load.ts';
import { buildLexicon, LexiconError, type LexiconData } from '../../src/language/index.ts';

/** A fresh copy of the shipped word lists, as the loader reads them, to break. */
const data = (): LexiconData & { words: any; faq: any; errors: any; clients: any } => {
  const { raw } = readRawData();
  return structuredClone({ words: raw.words, faq: raw.faq, errors: raw.errors, clients: raw.clients }) as any;
};

/** The first problem buildLexicon reports (checked: it reports at least one, as a LexiconError). */
function failure(d: LexiconData): DataProblem {
  try {
    buildLexicon(d);
  } catch (err) {
    expect(err).toBeInstanceOf(LexiconError);
    const { problems } = err as LexiconError;
    expect(problems.length).toBeGreaterThan(0);
    expect((err as Error).message).toContain(`${problems[0]!.file}: ${problems[0]!.key}: `);
    return problems[0]!;
  }
  throw new Error('buildLexicon accepted malformed data');
}

describe('lexicon validation names the file and the key', () => {
  it('accepts the shipped data', () => {
    expect(() => buildLexicon(data())).not.toThrow();
  });
  it('an empty alias', () => {
    const d = data();
    d.clients.products.thunderbird.aliases.push('  ');
    const e = failure(d);
    expect(e.file).toBe('flows/clients.json');
    expect(e.key).toBe(`products.thunderbird.aliases.${d.clients.products.thunderbird.aliases.length - 1}`);
  });
  it('an alias that normalizes to nothing', () => {
    const d = data();
    d.clients.products.becky.aliases = ['\u200b'];
    const e = failure(d);
    expect([e.file, e.key]).toEqual(['flows/clients.json', 'products.becky.aliases.0']);
  });
  it('a regular expression that does not compile', () => {
    const d = data();
    d.errors.entries[2].patterns = ['ok', '(unclosed'];
    const e = failure(d);
    expect([e.file, e.key]).toEqual(['flows/language/errors.json', 'entries.2.patterns.1']);
    expect(e.message).toMatch(/does not compile/);
  });
  it('a malformed error code', () => {
    const d = data();
    d.errors.entries[0].codes = ['0xZZZ'];
    expect(failure(d).key).toBe('entries.0.codes.0');
  });
  it('an empty yes-word list and a missing list', () => {
    const d = data();
    d.words.yes.start = [];
    const e = failure(d);
    expect([e.file, e.key]).toEqual(['flows/language/words.json', 'yes.start']);
    const d2 = data();
    delete d2.words.unsure;
    expect(failure(d2).key).toBe('unsure');
  });
  it('a word that is not a string', () => {
    const d = data();
    d.words.no.phrases = ['いいえ', 3];
    expect(failure(d).key).toBe('no.phrases.1');
  });
  it('an FAQ pattern with an empty alternative, a bad action, a duplicate id', () => {
    const d = data();
    d.faq.entries[0].patterns[0][0] = 'なぜ||どうして';
    const e = failure(d);
    expect([e.file, e.key]).toEqual(['flows/language/faq.json', 'entries.0.patterns.0.0.1']);
    const d2 = data();
    d2.faq.entries[1].action = 'explode';
    expect(failure(d2).key).toBe('entries.1.action');
    const d3 = data();
    d3.faq.entries[1].id = d3.faq.entries[0].id;
    expect(failure(d3).key).toBe('entries.1.id');
  });
  it('every problem of every file at once: shapes, and entries that do not compile in the files of the right shape', () => {
    const d = data();
    d.words.yes.start = [];
    d.faq.entries[1].action = 'explode';
    d.errors.entries[0].codes = ['0xZZZ'];
    d.errors.entries[2].patterns = ['(unclosed'];
    d.clients.products.becky.aliases = ['\u200b'];
    expect(() => buildLexicon(d)).toThrowError(
      expect.objectContaining({
        problems: [
          expect.objectContaining({ file: 'flows/language/words.json', key: 'yes.start' }),
          expect.objectContaining({ file: 'flows/language/faq.json', key: 'entries.1.action' }),
          expect.objectContaining({ file: 'flows/clients.json', key: 'products.becky.aliases.0' }),
          expect.objectContaining({ file: 'flows/language/errors.json', key: 'entries.0.codes.0' }),
          expect.objectContaining({ file: 'flows/language/errors.json', key: 'entries.2.patterns.0' }),
        ],
      }),
    );
  });
});
