import { describe, expect, it } from 'vitest';
import { autoconfigShortcut, profileUrl } from '../../src/conversation/shortcuts.ts';
import { interpolate, type Lang } from '../../src/autoconfig/texts.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { parseCustomerAddress } from '../../src/autoconfig/address.ts';
import { mailFrom, textsIn } from './helpers.ts';

const mail = mailFrom();
const base = 'https://support.owari.ne.jp';
const { bundle, resources } = loadDataOrThrow();
const products = Object.keys(bundle.catalogue.products);
const langs: Lang[] = ['ja', 'en'];

function render(lang: Lang, key: string, vars: Record<string, string>): string {
  return textsIn(lang).t(key.replace(/^autoconfig:/, ''), vars);
}

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as object).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe('autoconfigShortcut', () => {
  it('knows every product id it maps', () => {
    for (const p of ['thunderbird', 'outlook', 'new_outlook', 'iphone_mail', 'apple_mail']) expect(products).toContain(p);
  });
  it('thunderbird → autoconfig sentence, no link', () => {
    const s = autoconfigShortcut({ product: 'thunderbird', account: 'taro', mail, publicBaseUrl: base });
    expect(s).toEqual({ sentenceKey: 'autoconfig:shortcut.thunderbird', vars: { domain: 'owari.ne.jp', displayName: 'インターネット尾張' } });
    expect(render('ja', s!.sentenceKey, s!.vars)).toContain('メールアドレスとパスワードを入れるだけ');
    expect(render('en', s!.sentenceKey, s!.vars)).toContain('your address and password are enough');
  });
  it.each(['outlook', 'new_outlook'])('%s → autodiscover sentence', (product) => {
    const s = autoconfigShortcut({ product, mail, publicBaseUrl: base })!;
    expect(s.sentenceKey).toBe(`autoconfig:shortcut.${product}`);
    expect(s.link).toBeUndefined();
    expect(render('ja', s.sentenceKey, s.vars)).toContain('自動で探します');
  });
  it.each(['iphone_mail', 'apple_mail'])('%s with a known account → profile link for their address', (product) => {
    const s = autoconfigShortcut({ product, account: 'taro.yamada', mail, publicBaseUrl: `${base}/` })!;
    const url = 'https://support.owari.ne.jp/mail.mobileconfig?email=taro.yamada%40owari.ne.jp';
    expect(s).toEqual({
      sentenceKey: 'autoconfig:shortcut.apple_profile',
      vars: { domain: 'owari.ne.jp', displayName: 'インターネット尾張', url, address: 'taro.yamada@owari.ne.jp' },
      link: { titleKey: 'autoconfig:link.apple_profile', url },
    });
    for (const lang of langs) expect(render(lang, s.sentenceKey, s.vars)).toContain(url);
  });
  it('accepts the whole address as account and encodes specials strictly', () => {
    const s = autoconfigShortcut({ product: 'iphone_mail', account: "O'Hara+x@OWARI.NE.JP", mail, publicBaseUrl: base })!;
    expect(s.link!.url).toBe("https://support.owari.ne.jp/mail.mobileconfig?email=O%27Hara%2Bx%40owari.ne.jp");
    expect(new URL(s.link!.url).searchParams.get('email')).toBe("O'Hara+x@owari.ne.jp");
    expect(parseCustomerAddress(new URL(s.link!.url).searchParams.get('email'), mail.domain).ok).toBe(true);
  });
  it.each([undefined, '', 'たろう', 'taro@gmail.com', 'ta ro', 'a'.repeat(65)])('iphone_mail with account %j → the profile page link, which asks for the address', (account) => {
    const s = autoconfigShortcut({ product: 'iphone_mail', account, mail, publicBaseUrl: base })!;
    const url = 'https://support.owari.ne.jp/mail.mobileconfig';
    expect(s).toEqual({
      sentenceKey: 'autoconfig:shortcut.apple_profile_form',
      vars: { domain: 'owari.ne.jp', displayName: 'インターネット尾張', url },
      link: { titleKey: 'autoconfig:link.apple_profile_form', url },
    });
    for (const lang of langs) expect(render(lang, s.sentenceKey, s.vars)).toContain(url);
  });
  it('every other product → undefined', () => {
    const mapped = new Set(['thunderbird', 'outlook', 'new_outlook', 'iphone_mail', 'apple_mail']);
    for (const product of products.filter((p) => !mapped.has(p))) {
      expect(autoconfigShortcut({ product, account: 'taro', mail, publicBaseUrl: base })).toBeUndefined();
    }
    expect(autoconfigShortcut({ product: 'nonsense', mail, publicBaseUrl: base })).toBeUndefined();
  });
  it('follows the configured domain', () => {
    const other = mailFrom({ MAIL_DOMAIN: 'example.jp' });
    expect(autoconfigShortcut({ product: 'apple_mail', account: 'taro', mail: other, publicBaseUrl: base })!.link!.url).toBe(`${base}/mail.mobileconfig?email=taro%40example.jp`);
    expect(render('ja', 'autoconfig:shortcut.outlook', autoconfigShortcut({ product: 'outlook', mail: other, publicBaseUrl: base })!.vars)).toContain('○○@example.jp');
  });
  it('profileUrl', () => {
    expect(profileUrl('https://x.jp/bot//')).toBe('https://x.jp/bot/mail.mobileconfig');
  });
});

describe('locales/{ja,en}/autoconfig.json', () => {
  const files = Object.fromEntries(langs.map((l) => [l, resources[l]!.autoconfig]));
  it('have the same keys', () => {
    expect(keysOf(files.ja).sort()).toEqual(keysOf(files.en).sort());
  });
  it('use the same variables per key in both languages', () => {
    for (const key of keysOf(files.ja)) {
      const vars = (l: Lang) => [...textsIn(l).t(key).matchAll(/\{\{-?\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
      expect(vars('en'), key).toEqual(vars('ja'));
    }
  });
  it('every shortcut sentence that links somewhere shows the whole URL through {{url}}, and no URL is hard-coded', () => {
    for (const lang of langs) {
      for (const key of keysOf(files[lang])) {
        const text = textsIn(lang).t(key);
        expect(text, key).not.toMatch(/https?:\/\//);
        if (key.startsWith('shortcut.apple_profile')) expect(text, key).toContain('{{url}}');
      }
    }
  });
  it('every key a shortcut returns exists, rendered with its vars, with nothing left unfilled', () => {
    for (const product of products) {
      for (const account of [undefined, 'taro']) {
        const s = autoconfigShortcut({ product, account, mail, publicBaseUrl: base });
        if (!s) continue;
        for (const lang of langs) {
          expect(render(lang, s.sentenceKey, s.vars)).not.toMatch(/\{\{/);
          if (s.link) expect(render(lang, s.link.titleKey, s.vars).length).toBeGreaterThan(0);
        }
      }
    }
  });
  it('interpolate leaves unknown variables visible and supports {{- name}}', () => {
    expect(interpolate('{{a}} {{- b}} {{c}}', { a: '1', b: '2' })).toBe('1 2 {{c}}');
  });
});
