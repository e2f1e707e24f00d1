import { describe, expect, it } from 'vitest';
import { readFacts } from '../../src/language/facts.ts';
import type { StepContext } from '../../src/language/index.ts';
import { lexicon, steps } from './helpers.ts';

const facts = (text: string, step: StepContext = steps.q1) => readFacts(text, step, lexicon);

describe('every fact a message carries, with its evidence', () => {
  it('several at once, whatever was asked', () => {
    expect(facts('Windows 11でOutlook使ってます')).toMatchObject({
      os: { value: 'windows' },
      client: { value: 'outlook', evidence: 'outlook' },
      software: { value: true },
    });
  });
  it('an address: ours with its account, or another domain (never an account then)', () => {
    expect(facts('taro.y@owari.ne.jp をサンダーバードで')).toMatchObject({ address: { value: 'owari', account: 'taro.y', domain: 'owari.ne.jp' }, client: { value: 'thunderbird' } });
    expect(facts('hanako@example.com です').address).toEqual({ value: 'other', evidence: '@example.com', domain: 'example.com' });
    // "owari" inside an address is not the line.
    expect(facts('taro@owari.ne.jp').connection).toBeUndefined();
  });
  it('an address described in words', () => {
    expect(facts('ニフティのアドレスです', steps.q3).address).toMatchObject({ value: 'other' });
    expect(facts('勤め先のアドレス', steps.q3).address).toMatchObject({ value: 'employer' });
    expect(facts('プロバイダからもらったアドレス', steps.q3).address).toMatchObject({ value: 'line_provider' });
    expect(facts('尾張さんのアドレスです', steps.q3).address).toMatchObject({ value: 'owari' });
    // A provider named before an address word describes the address, not the line.
    expect(facts('ニフティのアドレスです', steps.q3).connection).toBeUndefined();
    // A provider named as the line (before a word for the line, or after the line as a topic) describes no address.
    expect(facts('ドコモ光です', steps.q3)).toEqual({ connection: { value: 'other', evidence: 'どこも光' } });
    expect(facts('回線はドコモです', steps.q3).address).toBeUndefined();
    expect(facts('プロバイダはニフティです', steps.q3).address).toMatchObject({ value: 'other' });
    // A provider's mail is its address; its mail program is not.
    expect(facts('Windows 10 のメールアプリで owari のメールを使ってて、ネットも尾張です')).toMatchObject({ address: { value: 'owari' }, connection: { value: 'owari' }, client: { value: 'windows_mail_app' } });
    expect(facts('ドコモのメールアプリです', steps.clientPhone).address).toBeUndefined();
  });
  it('a maker\'s own mail program, described, is a program not in the list; a listed system\'s own is its program', () => {
    expect(facts('Galaxyに最初から入ってる「Eメール」っていうアプリ', steps.settings).unlistedClient).toMatchObject({ named: true });
    expect(facts('Xperiaの標準のメール', steps.settings).unlistedClient).toMatchObject({ named: true });
    expect(facts('Xperiaです', steps.settings).unlistedClient).toBeUndefined();
    expect(facts('iPhoneに最初から入ってるメール', steps.settings).client).toMatchObject({ value: 'iphone_mail' });
  });
  it('a correction word marks the message as correcting an earlier answer', () => {
    expect(facts('やっぱり回線はドコモ光でした', steps.q3).correction).toEqual({ value: true, evidence: 'やっぱり' });
    expect(facts('回線はドコモ光でした', steps.q3).correction).toBeUndefined();
  });
  it('the line: another provider, a mobile line or a company beats a yes-word; ours named loosely is ours', () => {
    expect(facts('テザリングでつないでます', steps.q2).connection).toMatchObject({ value: 'other' });
    expect(facts('おわりの光です', steps.q2).connection).toMatchObject({ value: 'owari' });
    expect(facts('尾張じゃないです', steps.q2).connection).toMatchObject({ value: 'other' });
  });
  it('software not in the list: by name anywhere, and any unknown name at the client question', () => {
    expect(facts('Claws Mailです').unlistedClient).toMatchObject({ value: true });
    expect(facts('Outlookアプリです').unlistedClient).toMatchObject({ value: true });
    expect(facts('Foobarmailです', steps.clientWindows).unlistedClient).toMatchObject({ value: true, evidence: 'foobarmail' });
    expect(facts('Foobarmailです', steps.q2).unlistedClient).toBeUndefined();
  });
  it('a negated name is not a fact', () => {
    expect(facts('Outlookは使ってない').client).toBeUndefined();
  });
});
