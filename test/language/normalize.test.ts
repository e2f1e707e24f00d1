import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/language/index.ts';

describe('normalize', () => {
  it('folds half-width katakana, katakana and hiragana to one form', () => {
    expect(normalize('ｻﾝﾀﾞｰﾊﾞｰﾄﾞ')).toBe(normalize('サンダーバード'));
    expect(normalize('さんだーばーど')).toBe(normalize('サンダーバード'));
  });
  it('folds full-width letters and digits and case', () => {
    expect(normalize('ＯＵＴＬＯＯＫ２００７')).toBe('outlook2007');
    expect(normalize('ThunderBird')).toBe('thunderbird');
  });
  it('treats dash and tilde variants after kana as the long-vowel mark', () => {
    for (const v of ['サンダーバード', 'サンダｰバｰド', 'サンダ－バ－ド', 'サンダ‐バ‐ド', 'サンダ～バ～ド', 'サンダ〜バ〜ド', 'サンダ-バ-ド']) {
      expect(normalize(v)).toBe(normalize('サンダーバード'));
    }
    expect(normalize('はーーーい')).toBe(normalize('はーい'));
  });
  it('keeps dashes between latin letters (AL-Mail) and in codes', () => {
    expect(normalize('AL-Mail32')).toBe('al-mail32');
  });
  it('folds small kana: ウィ = ウイ, ァ = ア', () => {
    expect(normalize('ウィンドウズ')).toBe(normalize('ウインドウズ'));
    expect(normalize('ファイアフォックス')).toBe(normalize('フアイアフオツクス'.replace('ツ', 'ッ')));
  });
  it('drops spaces between Japanese words and keeps one between latin words', () => {
    expect(normalize('ウインドウズ　ライブ　メール')).toBe(normalize('ウインドウズライブメール'));
    expect(normalize('Outlook\u3000\t Express')).toBe('outlook express');
    expect(normalize('  はい  ')).toBe('はい');
  });
  it('treats the middle dot as a word break', () => {
    expect(normalize('アウトルック・エクスプレス')).toBe(normalize('アウトルックエクスプレス'));
  });
  it('never throws, whatever it is given', () => {
    for (const v of ['', '\ud800', '\u200b', 'a'.repeat(100_000), '👍🏽', null as unknown as string, 42 as unknown as string]) {
      expect(() => normalize(v)).not.toThrow();
    }
  });
});
