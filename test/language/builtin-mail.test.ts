/** The mail program a system comes with, named by what it is rather than by its product name. */
import { describe, expect, it } from 'vitest';
import { lexicon as lex, steps, u } from './helpers.ts';
import { readFacts } from '../../src/language/facts.ts';

const client = (product: string) => ({ kind: 'client', client: { product } });

describe('the system\'s own mail program', () => {
  it('at the client question on a Mac, the bare mail word or 「標準の」 mail is the Mac\'s own program', () => {
    expect(u('めーるです', steps.clientMac)).toMatchObject(client('apple_mail'));
    expect(u('純正のメールアプリを使っています', steps.clientMac)).toMatchObject(client('apple_mail'));
  });

  it('the system named in the message decides which program: a recent Windows, Vista, an iPad', () => {
    expect(u('ウィンドウズ11にもともと付いてるメールです', steps.clientWindows)).toMatchObject(client('windows_mail_app'));
    expect(u('ビスタに付属のメールソフト', steps.clientWindows)).toMatchObject(client('windows_mail'));
    expect(readFacts('iPadに最初から入ってるメールアプリで送ってる', steps.q1, lex).client).toMatchObject({ value: 'iphone_mail' });
  });

  it('on Windows without its version, a bare mail word decides nothing', () => {
    expect(u('メール', steps.clientWindows)).not.toMatchObject({ kind: 'client' });
  });

  it('a maker\'s app, an address or a sentence about mail is no program of the system', () => {
    expect(readFacts('ギャラクシーの標準メール', { expects: 'client', offered: ['iphone_mail', 'gmail_app', 'other'], os: 'smartphone' }, lex).client).toBeUndefined();
    expect(readFacts('標準のメールアドレスです', steps.clientMac, lex).client).toBeUndefined();
    expect(u('メールが送れなくて困ってます', steps.clientMac)).not.toMatchObject(client('apple_mail'));
  });

  it('a mail program word beside a system that has one mail program is that program; the bare mail word in a complaint is not', () => {
    expect(readFacts('MacBookでメールアプリ使ってます', steps.q1, lex).client).toMatchObject({ value: 'apple_mail' });
    expect(readFacts('Macでメールが送れない', steps.q1, lex).client).toBeUndefined();
  });

  it('a program whose name is the mail word, in quotes or called so, is the system\'s own', () => {
    expect(u('スタートメニューにある「メール」ってやつ（Windows 10）', steps.clientWindows)).toMatchObject(client('windows_mail_app'));
    expect(u('ウインドウズ11の「メール」', steps.clientWindows)).toMatchObject(client('windows_mail_app'));
    expect(u('メールってアプリです', steps.clientMac)).toMatchObject(client('apple_mail'));
  });
});
