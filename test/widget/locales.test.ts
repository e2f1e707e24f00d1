import { describe, expect, it } from 'vitest';
import { loadDataOrThrow } from '../../src/flow/load.ts';

const { resources } = loadDataOrThrow();
const load = (lang: string) => resources[lang]!.widget as Record<string, string>;

describe('widget UI strings', () => {
  const ja = load('ja');
  const en = load('en');

  it('has the same keys in Japanese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const [k, v] of [...Object.entries(ja), ...Object.entries(en)]) expect(v, k).toMatch(/\S/);
  });

  it('uses the wording the issue asks for', () => {
    expect(ja.reconnecting).toBe('再接続中…');
    expect(ja.back).toBe('戻る');
    expect(ja.restart).toBe('最初から');
    expect(ja.switchTo).toBe('English');
    expect(en.switchTo).toBe('日本語');
  });

  it("starts the launcher's accessible name with its visible label (WCAG 2.5.3)", () => {
    expect(ja.launcher!.startsWith(ja.launcherShort!)).toBe(true);
    expect(en.launcher!.startsWith(en.launcherShort!)).toBe(true);
  });
});
