import { describe, expect, it } from 'vitest';
import { steps, u } from './helpers.ts';

const yes = { kind: 'answer', answer: 'yes' };
const no = { kind: 'answer', answer: 'no' };

describe('yes / no in their many forms', () => {
  it.each(['はい', 'はい！', 'ﾊｲ', 'ええ', 'うん', 'うんうん', 'そうです', 'そうですね', '使ってます', '使っています', 'はい、使ってます', 'yes', 'OK', 'ｏｋ', '👍', 'もちろん', 'はーい', 'hai'])(
    '%s → yes', (t) => expect(u(t)).toMatchObject(yes));
  it.each(['いいえ', 'いえ', 'いや', 'ううん', '違います', 'ちがう', 'no', 'Nope', '使ってません', '使っていない', '使ってないです', 'ないです', 'なし', '❌', 'iie'])(
    '%s → no', (t) => expect(u(t)).toMatchObject(no));
  it('works at every yes/no question', () => {
    for (const step of [steps.q1, steps.q2, steps.q3, steps.recommended]) {
      expect(u('はい', step)).toMatchObject(yes);
      expect(u('いいえ', step)).toMatchObject(no);
    }
  });
});

describe('negation wins over yes-words', () => {
  it.each(['そうじゃない', 'そうではありません', '使ってるわけじゃない', 'うん、使ってない', '使ってはいない', 'そうでもない', 'メールソフトなんか使ってないよ'])(
    '%s → no', (t) => expect(u(t)).toMatchObject(no));
  it('「尾張じゃない」 at the connection question is no', () => {
    expect(u('尾張じゃないです', steps.q2)).toMatchObject(no);
  });
  it('しか…ない means "only", not no: 「Webメールしか使いません」 still says webmail', () => {
    expect(u('Webメールしか使いません')).toMatchObject(no);
    expect(u('LINEしか使わない')).toMatchObject(no);
  });
});

describe('ambiguous and unsure', () => {
  it.each(['いいです', '大丈夫です', '結構です', '問題ありません', 'たぶん'])('%s → ambiguous (ask again with buttons)', (t) => {
    expect(u(t)).toEqual({ kind: 'ambiguous' });
  });
  it.each(['わからない', 'わかりません', 'よく分かりません', 'わかんない', '知らない', '？', 'うーん…', "I don't know", 'wakaranai'])('%s → unsure', (t) => {
    expect(u(t)).toEqual({ kind: 'unsure' });
  });
  it('「いいえ」 is not the ambiguous 「いい」', () => {
    expect(u('いいえ')).toMatchObject(no);
  });
});

describe('はい inside another word is not yes', () => {
  it.each(['はいってます', 'はいけい', 'はいりません'])('%s', (t) => {
    expect(u(t)).not.toMatchObject(yes);
  });
});

describe('spellings and inflections of any verb, not only listed phrases', () => {
  it.each(['つかってます', '使っております', '使っとる', '使っちょります', 'つかっております', 'つこうとるよ', '使こうてます'])('%s → yes', (t) => expect(u(t)).toMatchObject(yes));
  it.each(['使用しておりません', 'つかっていません', '使ってはおりません'])('%s → no', (t) => expect(u(t)).toMatchObject(no));
  it.each(['わからない', '分からない', '判らない', '解らない', '分かりません'])('%s → unsure', (t) => expect(u(t)).toMatchObject({ kind: 'unsure' }));
  it('a な inside a verb is not a negation: 「テザリングでつないでます」 names another line', () => {
    expect(u('テザリングでつないでます', steps.q2)).toMatchObject(no);
    expect(u('ポケットWi-Fiでつないでます', steps.q2)).toMatchObject(no);
    expect(u('つないでます', steps.q2)).toMatchObject(yes);
    expect(u('つながってない', steps.q2)).toMatchObject(no);
  });
});
