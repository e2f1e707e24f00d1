/**
 * The notice lists 10 Windows and 6 Mac mail clients, each with its manual; customers today also use
 * Outlook for Microsoft 365, the new Outlook, Apple Mail, iPhone/iPad Mail and Android's Gmail app.
 * Each one must lead to its own manual and the ISP's settings.
 */
import { describe, expect, it } from 'vitest';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { converse, testDeps } from '../support/turns.ts';

const data = loadDataOrThrow();

const { catalogue } = data.bundle;
const MANUALS = 'https://www.owari.ne.jp/support/mail/';

const noticeClients: [os: string, product: string, label: RegExp][] = [
  ['windows', 'windows_live_mail', /Windows Live メール/],
  ['windows', 'windows_mail', /Windows メール/],
  ['windows', 'outlook_express', /Outlook Express 5\.5以降/],
  ['windows', 'outlook', /Microsoft Outlook 2002以降/],
  ['windows', 'netscape', /Netscape 7\.0以降/],
  ['windows', 'thunderbird', /Thunderbird 1\.0以降/],
  ['windows', 'eudora', /Eudora 7以降/],
  ['windows', 'becky', /Becky! Internet Mail/],
  ['windows', 'al_mail32', /AL-Mail32 1\.13/],
  ['windows', 'postpet', /PostPet 3\.2以降/],
  ['mac', 'apple_mail', /OS X Mail/],
  ['mac', 'outlook_express', /Outlook Express 5以降/],
  ['mac', 'netscape', /Netscape 7\.1/],
  ['mac', 'eudora', /Eudora 6\.2以降/],
  ['mac', 'opera', /Opera 8\.5以降/],
  ['mac', 'thunderbird', /Thunderbird 1\.5以降/],
];
const modernClients: [os: string, product: string][] = [
  ['windows', 'new_outlook'],
  ['smartphone', 'iphone_mail'],
  ['smartphone', 'gmail_app'],
];

function toSettings(os: string, product: string, lang: 'ja' | 'en' = 'ja') {
  return converse(testDeps(), lang).say('yes').say('yes').say('yes').say(os).say(product);
}

describe('the notice\'s client list', () => {
  it('offers exactly the notice\'s 16 clients (plus today\'s) as buttons, with the notice\'s version notes', () => {
    const windows = converse().say('yes').say('yes').say('yes').say('windows').last;
    const mac = converse().say('yes').say('yes').say('yes').say('mac').last;
    const offered = [
      ...windows.quick_replies!.map((r) => ['windows', r.payload, r.title]),
      ...mac.quick_replies!.map((r) => ['mac', r.payload, r.title]),
    ];
    for (const [os, product, label] of noticeClients) {
      const button = offered.find(([o, p]) => o === os && p === product);
      expect(button, `${os} ${product}`).toBeDefined();
      expect(button![2]).toMatch(label);
    }
    expect(windows.quick_replies!.at(-1)!.payload).toBe('other');
  });

  for (const [os, product] of [...noticeClients.map(([o, p]) => [o, p] as const), ...modernClients]) {
    it(`${os} / ${product}: settings and its own manual`, () => {
      const last = toSettings(os, product).last;
      const manual = new URL(catalogue.products[product]!.editions[os as 'windows']!.manual, MANUALS).href;
      expect(last.state).toBe('settings');
      expect(last.links?.map((l) => l.url)).toContain(manual);
      expect(last.text).toContain(manual);
      expect(last.text).toContain('mail.owari.ne.jp');
      expect(last.text).toMatch(/送信ポート：587/);
      expect(last.text).toMatch(/SMTP認証（送信者認証）：使用する/);
      expect(last.text).toContain('メールアドレスの@より前の部分');
      expect(last.text).toContain('設定する場所：');
    });
  }

  it('uses the account name typed at question 3 and never the address', () => {
    const c = converse().say('yes').say('yes').say('taro.yamada@owari.ne.jp').say('windows').say('becky');
    expect(c.last.text).toContain('アカウント名（ユーザー名）：taro.yamada');
    expect(JSON.stringify(c.record)).not.toContain('@owari.ne.jp');
  });

  it('answers in English too', () => {
    const last = toSettings('windows', 'thunderbird', 'en').last;
    expect(last.text).toContain('Outgoing port: 587');
    expect(last.links![0]!.title).toMatch(/Thunderbird|Set up/);
  });
});

describe('clients the notice cannot help with', () => {
  it('a version too old for SMTP AUTH gets the notice\'s advice to switch software', () => {
    const last = converse().say('yes').say('yes').say('yes').say('windows').say('Outlook Express 5').last;
    expect(last.state).toBe('client_too_old');
    expect(last.text).toContain('お乗り換え');
  });

  it.each([
    ['windows', 'Outlook 98'], ['windows', 'Outlook 97'], ['windows', 'Outlook 2000'], ['windows', 'Netscape 4.7'], ['windows', 'Eudora 5'],
    ['windows', 'Thunderbird 0.9'], ['windows', 'PostPet 2'], ['mac', 'Eudora 5.2'], ['mac', 'Thunderbird 1.0'], ['mac', 'Opera 7'],
  ])('every client checks its version against the oldest the notice confirmed: %s %s is too old', (os, text) => {
    const last = converse().say('yes').say('yes').say('yes').say(os).say(text).last;
    expect(last.state).toBe('client_too_old');
  });

  it.each([['windows', 'Outlook 2003'], ['windows', 'Outlook 2016'], ['windows', 'Thunderbird 115'], ['mac', 'Eudora 6.2']])('%s %s is new enough', (os, text) => {
    expect(converse().say('yes').say('yes').say('yes').say(os).say(text).last.state).toBe('settings');
  });

  it('a client not in the list gets the notice\'s words and the contact options', () => {
    const last = converse().say('yes').say('yes').say('yes').say('windows').say('other').last;
    expect(last.state).toBe('client_not_listed');
    expect(last.text).toContain('一覧以外にも');
    expect(last.text).toContain('https://www.owari.ne.jp/support/contact/');
    expect(last.text).toContain('0120-000-000');
  });

  it('the discontinued Windows Mail app is told to switch', () => {
    const last = converse().say('yes').say('yes').say('yes').say('windows').say('windows_mail_app').last;
    expect(last.state).toBe('client_unsupported');
  });
});

describe('one source of truth for the server settings', () => {
  it('a port changed in config changes the bot\'s answer', () => {
    const deps = testDeps({ SMTP_PORT: '465', SMTP_TLS: 'tls', POP_HOST: 'pop.example.owari.ne.jp' });
    const last = converse(deps).say('yes').say('yes').say('yes').say('windows').say('thunderbird').last;
    expect(last.text).toContain('送信ポート：465');
    expect(last.text).toContain('ポート番号 465');
    expect(last.text).toContain('暗号化：SSL/TLS');
    expect(last.text).toContain('pop.example.owari.ne.jp');
  });
});

describe('a client named before the verdict is not asked for again', () => {
  it('「iPhoneです」 at question 1: the owari verdict comes with the iPhone settings, no OS or client question', () => {
    const c = converse().say('iPhoneです').say('はい').say('はい');
    expect(c.last.outcome).toBe('change-required-owari');
    expect(c.last.state).toBe('change_required_owari_known_client');
    expect(c.last.text).toContain('従来の設定では送信ができません');
    expect(c.last.text).toContain('送信ポート：587');
    expect(c.last.links?.map((l) => l.url)).toContain('https://www.owari.ne.jp/support/mail/smartphone/iphone.html');
    c.say('戻る');
    expect(c.last.state).toBe('uses_owari_address');
  });

  it('a remembered version too old for SMTP AUTH gets the advice once the OS is known, not the settings', () => {
    const c = converse().say('Outlook Express 5 を使ってます').say('はい').say('はい');
    expect(c.last.state).toBe('change_required_owari');
    c.say('windows');
    expect(c.last.state).toBe('client_too_old');
  });

  it('a remembered client that can no longer send is told to switch', () => {
    // The client runs only on Windows, so the OS is known too: the verdict, then the advice, without asking the OS.
    const c = converse().say('windows_mail_app').say('はい').say('はい');
    expect(c.turns.at(-1)!.replies.map((m) => m.outcome)).toContain('change-required-owari');
    expect(c.last.state).toBe('client_unsupported');
  });
});
