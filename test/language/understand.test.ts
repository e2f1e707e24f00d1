import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { understand, type StepContext } from '../../src/language/index.ts';
import { lexicon, steps, u } from './helpers.ts';

describe('quick-reply payloads', () => {
  it('an offered id is that answer', () => {
    expect(u('yes', steps.q2)).toEqual({ kind: 'answer', answer: 'yes' });
    expect(u('no', steps.q3)).toEqual({ kind: 'answer', answer: 'no' });
    expect(u('unsure', steps.q1)).toEqual({ kind: 'answer', answer: 'unsure' });
    for (const os of ['windows', 'mac', 'smartphone', 'other']) expect(u(os, steps.os)).toEqual({ kind: 'answer', answer: os });
    expect(u('another_client', steps.settings)).toEqual({ kind: 'answer', answer: 'another_client' });
    expect(u('yes_settings', steps.finished)).toEqual({ kind: 'answer', answer: 'yes_settings' });
  });
  it('commands', () => {
    for (const c of ['restart', 'back', 'continue'] as const) {
      for (const step of Object.values(steps)) expect(u(c, step)).toEqual({ kind: 'command', command: c });
    }
  });
  it('product ids: a client where one is expected, yes + client at question 1', () => {
    expect(u('thunderbird', steps.clientWindows)).toMatchObject({ kind: 'client', client: { product: 'thunderbird', os: 'windows' } });
    expect(u('outlook_express', steps.os)).toMatchObject({ kind: 'client', client: { product: 'outlook_express' } });
    expect(u('becky', steps.q1)).toMatchObject({ kind: 'answer', answer: 'yes', client: { product: 'becky' } });
  });
});

describe('typed commands and languages', () => {
  it.each(['最初から', 'やり直し', '最初からやり直したい', 'はじめからお願いします'])('%s → restart', (t) => {
    expect(u(t, steps.q3)).toEqual({ kind: 'command', command: 'restart' });
  });
  it.each(['戻る', '前の質問に戻りたい', 'ひとつ前に戻って'])('%s → back', (t) => expect(u(t, steps.q2)).toEqual({ kind: 'command', command: 'back' }));
  it.each(['続ける', '続きをお願いします'])('%s → continue', (t) => expect(u(t, steps.q2)).toEqual({ kind: 'command', command: 'continue' }));
  it('a command word inside an answer is not a command', () => {
    expect(u('最初から使ってないです', steps.q1)).toEqual({ kind: 'answer', answer: 'no' });
  });
  it('languages', () => {
    expect(u('English', steps.q1)).toEqual({ kind: 'language', lang: 'en' });
    expect(u('英語でお願いします', steps.q1)).toEqual({ kind: 'language', lang: 'en' });
    expect(u('日本語で', steps.q1)).toEqual({ kind: 'language', lang: 'ja' });
  });
});

describe('typed answers to the other offered replies', () => {
  it('another client, settings after all', () => {
    expect(u('別のソフトも教えて', steps.settings)).toEqual({ kind: 'answer', answer: 'another_client' });
    expect(u('やっぱり設定方法を教えて', steps.finished)).toEqual({ kind: 'answer', answer: 'yes_settings' });
    expect(u('はい', steps.finished)).toEqual({ kind: 'answer', answer: 'yes_settings' });
  });
});

describe('robustness', () => {
  const allSteps = Object.values(steps) as StepContext[];
  it('never throws on any string, at any step', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom(...allSteps), (text, step) => {
        const r = understand(text, step, lexicon);
        expect(typeof r.kind).toBe('string');
      }),
      { numRuns: 500 },
    );
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => { understand(text, steps.q1, lexicon); }), { numRuns: 300 });
  });
  it('odd inputs', () => {
    for (const t of ['', '   ', '\u0000', '\ud800', '🙂'.repeat(3000), 'あ'.repeat(50_000), '0x'.repeat(1000)]) {
      expect(() => understand(t, steps.q1, lexicon)).not.toThrow();
    }
    expect(u('', steps.q1)).toEqual({ kind: 'unknown' });
    expect(understand('はい', undefined as unknown as StepContext, lexicon)).toBeTypeOf('object');
  });
});
