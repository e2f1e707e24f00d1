import { describe, expect, it } from 'vitest';
import { lexicon, steps, u } from './helpers.ts';
import { readFacts } from '../../src/language/facts.ts';

const client = (product: string, extra: Record<string, string> = {}) => ({ kind: 'client', client: { product, ...extra } });

describe('mail-client names', () => {
  it.each([
    ['サンダーバード', 'thunderbird'], ['ｻﾝﾀﾞｰﾊﾞｰﾄﾞ', 'thunderbird'], ['さんだーばーど', 'thunderbird'], ['サンダバ', 'thunderbird'],
    ['thunderbird', 'thunderbird'], ['ThunderBird使ってます', 'thunderbird'], ['アウトルック', 'outlook'], ['OUTLOOK', 'outlook'],
    ['OE6', 'outlook_express'], ['アウトルックエクスプレス', 'outlook_express'], ['ベッキー', 'becky'], ['Becky!', 'becky'],
    ['ライブメール', 'windows_live_mail'], ['WLM', 'windows_live_mail'], ['ネスケ使ってます', 'netscape'], ['ポスペ', 'postpet'],
    ['ユードラ', 'eudora'], ['アルメール', 'al_mail32'], ['新しいOutlook', 'new_outlook'], ['メールとカレンダー', 'windows_mail_app'],
  ])('%s → %s', (text, product) => expect(u(text, steps.clientWindows)).toMatchObject(client(product)));

  it('misspellings and romaji', () => {
    expect(u('thunderbard', steps.clientWindows)).toMatchObject(client('thunderbird'));
    expect(u('サンダーバート', steps.clientWindows)).toMatchObject(client('thunderbird'));
    expect(u('outlok', steps.clientWindows)).toMatchObject(client('outlook'));
    expect(u('ｵｰﾄﾙｯｸ2007', steps.clientWindows)).toMatchObject(client('outlook', { version: '2007' }));
    expect(u('sandaba-do', steps.clientWindows)).toMatchObject(client('thunderbird'));
  });

  it('a name that means a program only on its system: 「Gmail」 is the Gmail app asked on a phone, webmail or an address elsewhere', () => {
    expect(u('Gmailです', steps.clientPhone)).toMatchObject(client('gmail_app'));
    expect(u('Gmailで見てます', steps.q1)).toMatchObject({ kind: 'answer', answer: 'no' });
    expect(u('Gmail', steps.clientWindows)).not.toMatchObject({ kind: 'client' });
    expect(u('らくらくスマホのGmailっていうアプリでメールしとります', steps.q1)).toMatchObject({ kind: 'answer', answer: 'yes', client: { product: 'gmail_app' } });
    // Never guessed from a near spelling: 「K-9 Mail」 is not Gmail.
    expect(u('K-9 Mail', steps.clientPhone)).not.toMatchObject({ kind: 'client' });
  });

  it('a system named in another sentence says nothing of a name', () => {
    expect(u('スマホも設定変えないといけないの？パソコンはアウトルックだけど', steps.q1)).not.toMatchObject({ kind: 'answer', answer: 'other' });
    expect(readFacts('スマホも設定変えないといけないの？パソコンはアウトルックだけど', steps.q1, lexicon).client).toMatchObject({ value: 'outlook' });
    expect(readFacts('MacでOutlook 2019を使ってます', steps.q1, lexicon).unlistedClient).toMatchObject({ named: true });
  });

  it('a program denied once is denied wherever else it is named', () => {
    expect(u('Androidの「メール」アプリ（Gmailじゃない方）', steps.clientPhone)).not.toMatchObject({ kind: 'client' });
  });

  it('a name is typed in one script: the tail of a hiragana word and katakana after it are no name', () => {
    expect(u('スタートにある「メール」ってやつ', steps.clientWindows)).not.toMatchObject(client('al_mail32'));
    expect(u('あるめーる', steps.clientWindows)).toMatchObject(client('al_mail32'));
  });

  it('the longest alias wins: Outlook Express over Outlook', () => {
    expect(u('Outlook Express', steps.clientWindows)).toMatchObject(client('outlook_express'));
    expect(u('OutlookExpress 6', steps.clientWindows)).toMatchObject(client('outlook_express', { version: '6' }));
    expect(u('アウトルック・エクスプレス', steps.clientWindows)).toMatchObject(client('outlook_express'));
    expect(u('新しいアウトルック', steps.clientWindows)).toMatchObject(client('new_outlook'));
  });

  it('a space typed between katakana words separates them (a phone that writes only ｶﾀｶﾅ)', () => {
    expect(u('ﾊｲ ｿｳﾃﾞｽ', steps.q3)).toMatchObject({ kind: 'answer', answer: 'yes' });
    expect(u('ﾋﾞｼﾞﾈｽｹｰｽ', steps.clientWindows)).toEqual({ kind: 'unknown' });
  });

  it('short aliases do not match inside other words', () => {
    expect(u('ビジネスケース', steps.clientWindows)).toEqual({ kind: 'unknown' });
    expect(u('ビジネスケースを使ってます', steps.clientWindows)).toEqual({ kind: 'unknown' });
    expect(u('エポスペイ', steps.clientWindows)).toEqual({ kind: 'unknown' });
    expect(u('エポスペイカードで払った', steps.clientWindows)).toEqual({ kind: 'unknown' });
    expect(u('shoe', steps.clientWindows)).toEqual({ kind: 'unknown' });
  });

  it('versions', () => {
    expect(u('アウトルック2007', steps.clientWindows)).toMatchObject(client('outlook', { version: '2007' }));
    expect(u('Outlook 2010 です', steps.clientWindows)).toMatchObject(client('outlook', { version: '2010' }));
    expect(u('OE5', steps.clientWindows)).toMatchObject(client('outlook_express', { version: '5' }));
    expect(u('Thunderbird 115', steps.clientWindows)).toMatchObject(client('thunderbird', { version: '115' }));
    expect(u('Netscape 7.1', steps.clientWindows)).toMatchObject(client('netscape', { version: '7.1' }));
    expect(u('ベッキー2', steps.clientWindows)).toMatchObject(client('becky', { version: '2' }));
    expect(u('ポストペット V3.2', steps.clientWindows)).toMatchObject(client('postpet', { version: '3.2' }));
  });

  it('the OS a client implies is filled in, so that question is skipped', () => {
    expect(u('iPhone', steps.os)).toMatchObject(client('iphone_mail', { os: 'smartphone' }));
    expect(u('Mac のメール', steps.os)).toMatchObject(client('apple_mail', { os: 'mac' }));
    expect(u('MacでThunderbird使ってます', steps.os)).toMatchObject(client('thunderbird', { os: 'mac' }));
    expect(u('WindowsのThunderbird', steps.os)).toMatchObject(client('thunderbird', { os: 'windows' }));
    expect(u('Thunderbird', steps.clientMac)).toMatchObject(client('thunderbird', { os: 'mac' }));
  });

  it('at question 1 a client name is a yes, and is remembered', () => {
    expect(u('Outlookで送受信してます', steps.q1)).toMatchObject({ kind: 'answer', answer: 'yes', client: { product: 'outlook' } });
    expect(u('うん、サンダーバード使ってる', steps.q1)).toMatchObject({ kind: 'answer', answer: 'yes', client: { product: 'thunderbird' } });
    expect(u('Outlookじゃなくてサンダーバード', steps.q1)).toMatchObject({ kind: 'answer', answer: 'yes', client: { product: 'thunderbird' } });
  });

  it('OS answers and "other"', () => {
    expect(u('ウィンドウズ', steps.os)).toEqual({ kind: 'answer', answer: 'windows' });
    expect(u('ﾏｯｸ', steps.os)).toEqual({ kind: 'answer', answer: 'mac' });
    expect(u('スマホです', steps.os)).toEqual({ kind: 'answer', answer: 'smartphone' });
    expect(u('Linux', steps.os)).toEqual({ kind: 'answer', answer: 'other' });
    expect(u('この中にはないです', steps.clientWindows)).toEqual({ kind: 'answer', answer: 'other' });
  });

  it('a client named after the verdict', () => {
    expect(u('Becky!も使ってます', steps.settings)).toMatchObject(client('becky'));
  });
});
