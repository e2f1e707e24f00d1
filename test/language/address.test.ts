import { describe, expect, it } from 'vitest';
import { steps, u } from './helpers.ts';

describe('the address question', () => {
  it('an owari.ne.jp address is yes, and its local part is the account name', () => {
    expect(u('yamada@owari.ne.jp', steps.q3)).toEqual({ kind: 'answer', answer: 'yes', account: 'yamada' });
    expect(u('はい、taro.suzuki@owari.ne.jp です', steps.q3)).toEqual({ kind: 'answer', answer: 'yes', account: 'taro.suzuki' });
    expect(u('ｈａｎａｋｏ＠ｏｗａｒｉ．ｎｅ．ｊｐ', steps.q3)).toEqual({ kind: 'answer', answer: 'yes', account: 'hanako' });
  });
  it('the address itself is never returned', () => {
    expect(JSON.stringify(u('yamada@owari.ne.jp', steps.q3))).not.toContain('@');
  });
  it('another domain is no', () => {
    for (const t of ['taro@gmail.com', 'hanako123@yahoo.co.jp です', 'xxx@docomo.ne.jp', 'info@owari.ne.jp.example.com']) {
      expect(u(t, steps.q3)).toEqual({ kind: 'answer', answer: 'no' });
    }
  });
  it('words about the address decide too', () => {
    expect(u('Gmailのアドレスです', steps.q3)).toEqual({ kind: 'answer', answer: 'no' });
    expect(u('会社のメールアドレス', steps.q3)).toEqual({ kind: 'answer', answer: 'no' });
    expect(u('尾張のアドレスです', steps.q3)).toEqual({ kind: 'answer', answer: 'yes' });
  });
});

describe('the connection question', () => {
  it.each(['ドコモ光です', '会社のLANから', 'ソフトバンク光', 'auひかり', 'コミュファ光です', 'NURO', 'ポケットWi-Fiです'])('%s → no (another provider)', (t) => {
    expect(u(t, steps.q2)).toEqual({ kind: 'answer', answer: 'no' });
  });
  it.each(['尾張の光回線', 'インターネット尾張です', 'おたくの回線です'])('%s → yes', (t) => {
    expect(u(t, steps.q2)).toEqual({ kind: 'answer', answer: 'yes' });
  });
});

describe('the mail-software question', () => {
  it.each(['Gmailをブラウザで見てるだけ', 'Webメールです', 'ヤフーメールをネットで見てる'])('%s → no (webmail)', (t) => {
    expect(u(t, steps.q1)).toEqual({ kind: 'answer', answer: 'no' });
  });
});
