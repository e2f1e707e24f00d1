import { describe, expect, it } from 'vitest';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { steps, u } from './helpers.ts';

const { lexicon, resources } = loadDataOrThrow();
const sentences = (lang: 'ja' | 'en', ns: 'faq' | 'diagnosis') => resources[lang]![ns] as Record<string, unknown>;
const ALLOWED_VARS = new Set(['smtpHost', 'smtpPort', 'popHost', 'popPort', 'domain', 'contactUrl', 'contactPhone', 'contactHours', 'rentalUrl']);
/** FAQ answers are also worded with what the customer told (their account name). */
const FAQ_VARS = new Set([...ALLOWED_VARS, 'account', 'security', 'manualUrl']);

describe('questions (FAQ) at any step', () => {
  it.each([
    ['なんで25番ポートを止めるの？', 'why_blocking'], ['なぜブロックするんですか', 'why_blocking'],
    ['25番ポートブロックって何ですか？', 'what_is_op25b'], ['OP25Bとは', 'what_is_op25b'],
    ['サブミッションポートって何？', 'submission_port'], ['587番ってなんですか', 'submission_port'],
    ['SMTP認証とは？', 'smtp_auth'], ['Webメールは変わるの？', 'webmail'], ['レンタルサーバーを使ってるんですが', 'rental_server'],
    ['他社のアドレスはどうすればいい？', 'other_provider_address'], ['スマホの設定はどうなりますか？', 'smartphone_settings'],
    ['受信はできるけど送信ができない', 'receive_ok_send_fails'], ['設定を変えたくない', 'dont_want_to_change'],
    ['うちのソフトSMTP認証に対応してないんだけど', 'no_smtp_auth'], ['電話番号を教えて', 'talk_to_person'],
  ])('%s → %s', (text, id) => expect(u(text)).toMatchObject({ kind: 'faq', id }));

  it('「急にメールが送れなくなった」 starts the diagnosis', () => {
    expect(u('急にメールが送れなくなった')).toEqual({ kind: 'faq', id: 'suddenly_cannot_send', action: 'start_diagnosis' });
  });

  it('a question at a yes/no step is not mistaken for an answer', () => {
    expect(u('Webメールは影響ありますか？', steps.q1)).toMatchObject({ kind: 'faq', id: 'webmail' });
    expect(u('尾張の回線じゃないとダメなの？なんで25番を遮断するの？', steps.q2)).toMatchObject({ kind: 'faq', id: 'why_blocking' });
  });

  it('an answer that shares a word with an FAQ stays an answer', () => {
    expect(u('Gmailをブラウザで見てるだけ', steps.q1)).toEqual({ kind: 'answer', answer: 'no' });
  });

  it('a wish for a person is a handoff', () => {
    for (const t of ['担当者と話したい', 'オペレーター', '電話したい', '人間と話したい']) expect(u(t)).toEqual({ kind: 'handoff' });
  });
});

describe('FAQ and diagnosis texts', () => {
  const required = ['what_is_op25b', 'why_blocking', 'submission_port', 'smtp_auth', 'rental_server', 'webmail', 'other_provider_address', 'smartphone_settings', 'receive_ok_send_fails', 'suddenly_cannot_send', 'dont_want_to_change', 'no_smtp_auth', 'talk_to_person'];

  it('has every FAQ id the core links to, with the required actions', () => {
    const ids = lexicon.faq.map((e) => e.id);
    for (const id of required) expect(ids).toContain(id);
    expect(lexicon.faq.find((e) => e.id === 'suddenly_cannot_send')?.action).toBe('start_diagnosis');
    expect(lexicon.faq.find((e) => e.id === 'talk_to_person')?.action).toBe('handoff');
  });

  for (const ns of ['faq', 'diagnosis'] as const) {
    const ids = (ns === 'faq' ? lexicon.faq : lexicon.errors).map((e) => e.id);
    const ja = sentences('ja', ns);
    const en = sentences('en', ns);
    it(`${ns}: both languages have exactly the same keys, one per id${ns === 'faq' ? ' (and its situation variants <id>_<situation>)' : ''}`, () => {
      expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
      const answers = Object.keys(ja).filter((key) => ids.includes(key));
      expect(answers.sort()).toEqual([...ids].sort());
      const variants = Object.keys(ja).filter((key) => !ids.includes(key));
      if (ns === 'diagnosis') expect(variants).toEqual([]);
      for (const key of variants) expect(ids.some((id) => key.startsWith(`${id}_`)), key).toBe(true);
    });
    it(`${ns}: plain text, only the allowed variables`, () => {
      for (const [lang, texts] of [['ja', ja], ['en', en]] as const) {
        for (const [key, text] of Object.entries(texts)) {
          expect(typeof text, `${lang}:${key}`).toBe('string');
          expect(text as string, `${lang}:${key}`).not.toMatch(/<[a-z/][^>]*>/i);
          for (const m of (text as string).matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)) expect((ns === 'faq' ? FAQ_VARS : ALLOWED_VARS).has(m[1]!), `${lang}:${key} uses {{${m[1]}}}`).toBe(true);
          expect((text as string).replace(/\{\{[^}]+\}\}/g, ''), `${lang}:${key}`).not.toMatch(/[{}]/);
        }
      }
    });
  }

  it('Japanese texts are polite (です/ます)', () => {
    for (const ns of ['faq', 'diagnosis'] as const) {
      for (const [key, text] of Object.entries(sentences('ja', ns))) expect(text as string, key).toMatch(/(です|ます|ください)/);
    }
  });
});

describe('questions inside sentences', () => {
  it('「受信はできるのに送信だけできないのはなぜ？」 is the receive-but-not-send question, at any step', () => {
    for (const step of [steps.q1, steps.q2, steps.q3]) expect(u('受信はできるのに送信だけできないのはなぜ？', step)).toEqual({ kind: 'faq', id: 'receive_ok_send_fails' });
  });
  it('a person, then the wish, in one clause asks for a person; a method word is no person', () => {
    expect(u('電話で詳しい人に聞きたいです', steps.q2)).toEqual({ kind: 'handoff' });
    expect(u('この方法で話せばいいの？', steps.q2)).not.toEqual({ kind: 'handoff' });
  });
  it('asked for the mail client, a program named without a question is the answer, not an FAQ its words touch', () => {
    expect(u('らくらくスマートフォンに入ってたメールのアプリ', steps.clientPhone)).not.toMatchObject({ kind: 'faq' });
    expect(u('スマートフォンのメールの設定は？', steps.clientPhone)).toMatchObject({ kind: 'faq' });
  });
  it('the manual asked for again', () => {
    expect(u('マニュアルのリンクもう一回出して', steps.settings)).toEqual({ kind: 'faq', id: 'manual' });
  });
  it('commands inside sentences', () => {
    expect(u('間違えたので最初からお願いします', steps.q2)).toEqual({ kind: 'command', command: 'restart' });
    expect(u('さっきの質問、間違えたので前に戻りたい', steps.q3)).toEqual({ kind: 'command', command: 'back' });
    expect(u('最初から使ってない', steps.q1)).toMatchObject({ kind: 'answer', answer: 'no' });
    // The command as its own first sentence, the reason after it.
    expect(u('戻って。パソコンじゃなくてスマホでした', steps.clientWindows)).toEqual({ kind: 'command', command: 'back' });
    expect(u('最初からやり直し！住所まちがえた', steps.q3)).toEqual({ kind: 'command', command: 'restart' });
    expect(u('最初から、ずっと入ってるメールです', steps.clientMac)).not.toEqual({ kind: 'command', command: 'restart' });
  });
});
