/**
 * What the answers say, read against the notice: the インターネット尾張 verdict says at once what to change
 * (submission port, SMTP authentication with the receiving account and password, the server, the account),
 * a version older than the notice confirmed is told so and pointed to software that works, questions are
 * answered from what the conversation already knows, "continue" is offered only when there is a question to
 * go back to, and English customers read English product names.
 */
import { describe, expect, it } from 'vitest';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import type { BotMessage } from '../../src/conversation/wire.ts';
import { converse, testDeps } from '../support/turns.ts';

const data = loadDataOrThrow();

const { catalogue } = data.bundle;
const locales = data.resources;
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/;
const titles = (m: BotMessage) => (m.quick_replies ?? []).map((r) => r.title);
const payloads = (m: BotMessage) => (m.quick_replies ?? []).map((r) => r.payload);
const nameIn = (lang: 'ja' | 'en', product: string) => (locales[lang]!.flow as any).clients[product].name as string;

/** Question 1 yes (mail software), question 2 yes (インターネット尾張's connection), question 3 as given. */
const owariVerdict = (q3 = 'はい', deps = testDeps(), lang: 'ja' | 'en' = 'ja') => converse(deps, lang).say('はい').say('はい').say(q3);

describe('the インターネット尾張 verdict says what the notice asks to change', () => {
  it('submission port 587, SMTP authentication with the receiving account and password, mail.owari.ne.jp, the account', () => {
    const verdict = owariVerdict().last;
    expect(verdict.outcome).toBe('change-required-owari');
    expect(verdict.text).toMatch(/送信ポート：587（サブミッションポート）/);
    expect(verdict.text).toMatch(/SMTP\s?認証（送信者認証）：使用する（受信と同じアカウント名とパスワード）/);
    expect(verdict.text).toContain('SMTPサーバ（送信）：mail.owari.ne.jp');
    expect(verdict.text).toContain('アカウント名：メールアドレスの@より前の部分');
  });

  it('a customer who typed their address reads their own account: the part before @, never the address', () => {
    const verdict = owariVerdict('taro.yamada@owari.ne.jp です').last;
    expect(verdict.outcome).toBe('change-required-owari');
    expect(verdict.text).toContain('アカウント名：taro.yamada');
    expect(verdict.text).not.toContain('taro.yamada@');
  });

  it('then offers the steps for their device, as before (the device question and its buttons)', () => {
    const c = owariVerdict();
    expect(c.last.text).toMatch(/お使いの機器を選んでください。$/);
    expect(payloads(c.last)).toEqual(['windows', 'mac', 'smartphone', 'other']);
    c.say('windows');
    expect(c.last.state).toBe('choose_client_windows');
  });

  it('takes every value from the one settings source', () => {
    const verdict = owariVerdict('はい', testDeps({ SMTP_PORT: '465', SMTP_TLS: 'tls', SMTP_HOST: 'smtp.owari.ne.jp' })).last;
    expect(verdict.text).toContain('送信ポート：465');
    expect(verdict.text).toContain('SMTPサーバ（送信）：smtp.owari.ne.jp');
    expect(verdict.text).not.toContain('587');
  });

  it('in English too', () => {
    const verdict = converse(testDeps(), 'en').say('yes').say('yes').say('hanako@owari.ne.jp').last;
    expect(verdict.text).toContain('Outgoing port: 587 (submission port)');
    expect(verdict.text).toContain('SMTP authentication: on (same account name and password as for incoming)');
    expect(verdict.text).toContain('SMTP server (outgoing): mail.owari.ne.jp');
    expect(verdict.text).toContain('Account name: hanako');
  });
});

describe('a version older than the notice confirmed', () => {
  const tooOld = (os: string, client: string, lang: 'ja' | 'en' = 'ja') => owariVerdict(lang === 'ja' ? 'はい' : 'yes', testDeps(), lang).say(os).say(client).last;
  /** What the catalogue says a customer on `os` can switch to: software still developed, other than theirs. */
  const switchTo = (os: 'windows' | 'mac', except: string) =>
    Object.entries(catalogue.products).filter(([id, p]) => id !== except && p.status === 'current' && p.editions[os]).map(([id]) => id);

  it('says which version is too old and from which version the notice confirmed SMTP AUTH and port 587', () => {
    const answer = tooOld('windows', 'Outlook Express 5');
    expect(answer.state).toBe('client_too_old');
    expect(answer.text).toContain('お使いの Outlook Express 5 は古いバージョンです');
    expect(answer.text).toContain('サブミッションポート（587番）とSMTP認証（送信者認証）への対応を確認しているのは Outlook Express 5.5以降');
    expect(answer.text).not.toContain('可能性');
  });

  it('shows no settings as if they would work', () => {
    const answer = tooOld('windows', 'Outlook Express 5');
    expect(answer.text).not.toContain('の設定値です');
    expect(answer.text).not.toContain('送信ポート：');
    expect(answer.text).not.toContain('アカウント名（ユーザー名）');
  });

  it('recommends updating or switching, naming the software the catalogue has for their OS', () => {
    const windows = tooOld('windows', 'Outlook Express 5');
    expect(windows.text).toContain('Outlook Express を新しいバージョンに更新するか');
    expect(windows.text).toContain('Windows で使える主なメールソフト：');
    for (const id of switchTo('windows', 'outlook_express')) expect(windows.text).toContain(nameIn('ja', id));
    expect(windows.text).not.toContain(nameIn('ja', 'windows_live_mail')); // no longer developed: not a choice to switch to

    const mac = tooOld('mac', 'Eudora 6');
    expect(mac.state).toBe('client_too_old');
    expect(mac.text).toContain('お使いの Eudora 6 は古いバージョンです');
    expect(mac.text).toContain('Eudora 6.2以降');
    for (const id of switchTo('mac', 'eudora')) expect(mac.text).toContain(nameIn('ja', id));
    expect(mac.text).not.toContain('Becky!');
  });

  it('in English too', () => {
    const answer = tooOld('windows', 'Outlook Express 5', 'en');
    expect(answer.state).toBe('client_too_old');
    expect(answer.text).toContain('Your Outlook Express 5 is too old');
    expect(answer.text).toContain('Outlook Express 5.5 or later');
    expect(answer.text).toContain('New Outlook for Windows');
    expect(answer.text).not.toMatch(JAPANESE);
  });
});

describe('「変更は必要ですか？」 is answered from what the conversation already knows', () => {
  const ask = 'メールの設定の変更は必要ですか？';

  it('known to connect through another provider (no at question 2): current settings still work, changing recommended', () => {
    const c = converse().say('はい').say('いいえ').say(ask);
    expect(c.last.state).toBe('change_recommended');
    expect(c.last.text).toMatch(/^お答えによると、他社のプロバイダや会社のLANからインターネットに接続されていますので、今の設定のままでもメールを送信できます。/);
  });

  it('known to be on インターネット尾張 with an @owari.ne.jp address: yes, you must, and what to set', () => {
    const c = owariVerdict('taro@owari.ne.jp').say(ask);
    expect(c.last.text).toMatch(/^はい、変更が必要です。/);
    expect(c.last.text).toContain('送信ポートを587に');
    expect(c.last.text).toContain('アカウント名はtaro');
    expect(c.last.text).toContain('mail.owari.ne.jp');
  });

  it('known to use インターネット尾張 with another provider\'s address: yes, and ask that provider', () => {
    const c = owariVerdict('いいえ').say(ask);
    expect(c.last.text).toMatch(/^はい、変更が必要です。/);
    expect(c.last.text).toContain('事業者様にお問い合わせください');
  });

  it('known to use webmail only: no', () => {
    const c = converse().say('いいえ').say(ask);
    expect(c.last.text).toMatch(/設定の変更は必要ありません/);
    expect(c.last.text).toMatch(/^お答えによると/);
  });

  it('on インターネット尾張\'s connection, address not yet known: a change is needed, the next question says which', () => {
    const c = converse().say('はい').say('はい').say(ask);
    expect(c.last.state).toBe('uses_owari_address');
    expect(c.last.text).toMatch(/^インターネット尾張の回線からメールソフトをお使いですので、設定の変更が必要です。/);
  });

  it('nothing known yet: the general answer', () => {
    const c = converse().say(ask);
    expect(c.last.text).toMatch(/^設定の変更が必要なのは、メールソフト/);
  });

  it('going back un-knows an answer', () => {
    const c = converse().say('はい').say('いいえ').say('戻る').say(ask);
    expect(c.last.state).toBe('connects_via_owari');
    expect(c.last.text).not.toMatch(/^お答えによると/);
  });

  it('「設定を変えたくない」 from the same facts: on インターネット尾張 with its address it cannot be avoided', () => {
    const owari = owariVerdict().say('変更しないとだめですか？');
    expect(owari.last.text).toMatch(/^申し訳ありませんが、変更していただく必要があります。/);
    const other = converse().say('はい').say('いいえ').say('設定を変えたくない');
    expect(other.last.text).toMatch(/今の設定のままでもメールを送信できます/);
  });

  it('in English too (the answer in the conversation\'s language, whatever the question\'s)', () => {
    const c = converse(testDeps(), 'en').say('yes').say('yes').say('hanako@owari.ne.jp').say('変更しないとだめですか？');
    expect(c.last.text).toMatch(/^Sorry, but you do need to change them\./);
    expect(c.last.text).toContain('outgoing port 587');
    expect(c.last.text).toContain('account name: hanako');
    c.say('メールの設定の変更は必要ですか？');
    expect(c.last.text).toMatch(/^Yes, you must change them\./);
  });
});

describe('「続ける」 only when there is a question to go back to', () => {
  const noContinue = (m: BotMessage) => {
    expect(payloads(m)).not.toContain('continue');
    expect(m.text).not.toContain('「続ける」');
  };

  it('after a question at the finished step: that step\'s own choices, no 続ける', () => {
    const c = converse().say('はい').say('いいえ').say('いいえ');
    expect(c.last.state).toBe('finished');
    c.say('サブミッションポートって何？');
    noContinue(c.last);
    expect(payloads(c.last)).toEqual(['yes_settings', 'restart']);
  });

  it('after a question at a verdict with nothing pending', () => {
    for (const c of [converse().say('いいえ'), owariVerdict('いいえ')]) {
      expect(c.last.outcome).toBeDefined();
      c.say('SMTP認証とは？');
      noContinue(c.last);
      expect(payloads(c.last)).toEqual(['restart']);
    }
  });

  it('after a question, an error number or a wish for a person at the settings', () => {
    const c = owariVerdict().say('windows').say('thunderbird');
    expect(c.last.state).toBe('settings');
    for (const text of ['SMTP認証とは？', '0x800CCC0E', '電話番号を教えて']) {
      c.say(text);
      noContinue(c.last);
      expect(payloads(c.last)).toEqual(['another_client', 'restart']);
    }
  });

  it('still offered while a question waits for its answer', () => {
    const c = converse().say('はい').say('SMTP認証とは？');
    expect(c.last.state).toBe('connects_via_owari');
    expect(payloads(c.last)).toEqual(['continue', 'restart']);
    expect(c.last.text).toContain('「続ける」');
    const verdict = owariVerdict().say('SMTP認証とは？');
    expect(payloads(verdict.last)).toEqual(['continue', 'restart']); // the device question is pending
  });
});

describe('product names in the customer\'s language', () => {
  const english = () => converse(testDeps(), 'en').say('yes').say('yes').say('yes');

  it('the client buttons of every OS carry no Japanese in English', () => {
    for (const os of ['windows', 'mac', 'smartphone']) {
      const step = english().say(os).last;
      expect(step.state).toBe(`choose_client_${os}`);
      for (const title of titles(step)) expect(title).not.toMatch(JAPANESE);
    }
    const windows = titles(english().say('windows').last);
    expect(windows).toContain('Windows Live Mail');
    expect(windows).toContain('Windows Mail (for Windows Vista)');
    expect(windows).toContain('New Outlook for Windows');
    expect(titles(english().say('smartphone').last)).toEqual(['iPhone / iPad Mail', 'Gmail app (Android)', 'Other']);
  });

  it('the settings and the manual link name the software in English', () => {
    const settings = english().say('windows').say('windows_live_mail').last;
    expect(settings.text).toContain('Settings for Windows Live Mail:');
    expect(settings.links!.map((l) => l.title)).toContain('Windows Live Mail setup manual');
    expect(settings.text).not.toMatch(JAPANESE);
  });

  it('the software that can no longer send is named in English, with what to switch to', () => {
    const answer = english().say('windows').say('windows_mail_app').last;
    expect(answer.state).toBe('client_unsupported');
    expect(answer.text).toMatch(/^Windows 10\/11 Mail app can no longer/);
    expect(answer.text).toContain('Thunderbird');
    expect(answer.text).not.toMatch(JAPANESE);
  });

  it('Japanese stays Japanese', () => {
    expect(titles(owariVerdict().say('windows').last)).toContain('Windows Live メール');
  });
});
