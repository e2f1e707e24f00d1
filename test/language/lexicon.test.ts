import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLexicon, LexiconError, type LexiconData } from '../../src/language/index.ts';
import { loadLexicon } from '../../src/language/load-lexicon.ts';

const json = (p: string): any => JSON.parse(readFileSync(p, 'utf8'));
const data = (): LexiconData & { words: any; faq: any; errors: any; clients: any } => ({
  words: json('flows/language/words.json'),
  faq: json('flows/language/faq.json'),
  errors: json('flows/language/errors.json'),
  clients: json('flows/clients.json'),
});

function failure(d: LexiconData): LexiconError {
  try {
    buildLexicon(d);
  } catch (err) {
    expect(err).toBeInstanceOf(LexiconError);
    return err as LexiconError;
  }
  throw new Error('buildLexicon accepted malformed data');
}

describe('lexicon validation names the file and the key', () => {
  it('accepts the shipped data', () => {
    expect(() => loadLexicon('flows')).not.toThrow();
  });
  it('an empty alias', () => {
    const d = data();
    d.clients.products.thunderbird.aliases.push('  ');
    const e = failure(d);
    expect(e.file).toBe('flows/clients.json');
    expect(e.key).toBe(`products.thunderbird.aliases.${d.clients.products.thunderbird.aliases.length - 1}`);
    expect(e.message).toContain('flows/clients.json');
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
  it('a file that is not JSON or missing', () => {
    expect(() => loadLexicon('/nonexistent')).toThrow(LexiconError);
  });
});
