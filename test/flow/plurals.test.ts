/** Numbers in English sentences agree with their noun ("1 day", "90 days"), through i18next's plural forms. */
import { describe, expect, it } from 'vitest';
import { createTranslate } from '../../src/conversation/i18n.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { bearer, startStaffServer } from '../staff/helpers.ts';

const data = loadDataOrThrow();

const resources = data.resources;
const t = createTranslate(resources);

function leaves(tree: unknown, prefix = ''): [string, string][] {
  if (typeof tree === 'string') return [[prefix, tree]];
  return Object.entries(tree as object).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('plural-aware sentences', () => {
  it('no English sentence puts a number variable before a plural noun without plural forms', () => {
    const suspicious = Object.entries(resources.en!).flatMap(([ns, tree]) =>
      leaves(tree)
        .filter(([key, text]) => !/_(one|other)$/.test(key) && /\{\{\s*\w+\s*\}\}\s+(days|hours|minutes|messages|conversations|turns|characters|items|times)\b/.test(text))
        .map(([key]) => `${ns}:${key}`),
    );
    // errors.too_long says "under {{max}} characters": max is MAX_TEXT_LENGTH (1,000), never 1.
    expect(suspicious).toEqual(['flow:errors.too_long']);
  });

  it('the retention sentence: 1 day, 90 days; Japanese has one form', () => {
    expect(t('en', 'staff:stats.retention', { count: 1 })).toContain('after 1 day.');
    expect(t('en', 'staff:stats.retention', { count: 90 })).toContain('after 90 days.');
    expect(t('ja', 'staff:stats.retention', { count: 1 })).toContain('1 日後');
    expect(t('ja', 'staff:stats.retention', { count: 90 })).toContain('90 日後');
  });

  it('the staff dashboard says "after 1 day" with RETENTION_DAYS=1', async () => {
    const server = await startStaffServer({ RETENTION_DAYS: '1' });
    try {
      const en = await (await fetch(`${server.url}/staff?lang=en`, { headers: bearer })).text();
      expect(en).toContain('deleted automatically after 1 day.');
      expect(en).not.toMatch(/\b1 days\b/);
    } finally {
      await server.stop();
    }
  });
});
