/** The notice's flowchart as a customer goes through it, typed or tapped, with the commands and side notes around it. */
import { describe, expect, it } from 'vitest';
import { resumeConversation, takeTurn } from '../../src/conversation/turn.ts';
import { converse, testDeps } from '../support/turns.ts';

describe('the four verdicts of the notice', () => {
  it('webmail only → no change needed', () => {
    const c = converse().say('いいえ');
    expect(c.last.outcome).toBe('no-change-needed');
    expect(c.last.text).toContain('設定の変更などは必要ありません');
  });

  it('mail software through another provider → change recommended, settings offered', () => {
    const c = converse().say('はい').say('いいえ');
    expect(c.last.outcome).toBe('change-recommended');
    expect(c.last.text).toContain('今後は他社でもポート25番ブロックが一般的になりつつあり');
    expect(c.last.quick_replies!.map((r) => r.title)).toEqual(['はい', 'いいえ']);
    c.say('はい');
    expect(c.last.state).toBe('choose_os');
  });

  it('through インターネット尾張 with another provider\'s address → must change, ask that provider', () => {
    const c = converse().say('はい').say('はい').say('いいえ');
    expect(c.last.outcome).toBe('change-required-other-provider');
    expect(c.last.text).toContain('従来の設定では送信ができません');
    expect(c.last.text).toContain('事業者様にお問い合わせください');
  });

  it('through インターネット尾張 with an @owari.ne.jp address → must change, then settings and manual', () => {
    const c = converse().say('はい').say('はい').say('はい');
    expect(c.last.outcome).toBe('change-required-owari');
    expect(c.last.text).toContain('従来の設定では送信ができません');
    expect(c.last.quick_replies!.map((r) => r.payload)).toEqual(['windows', 'mac', 'smartphone', 'other']);
  });

  it('offers yes/no buttons whose titles begin with はい and いいえ (Yes / No in English)', () => {
    expect(converse().last.quick_replies!.map((r) => r.title).slice(0, 2)).toEqual(['はい', 'いいえ']);
    expect(converse(testDeps(), 'en').last.quick_replies!.map((r) => r.title).slice(0, 2)).toEqual(['Yes', 'No']);
  });
});

describe('commands at every step', () => {
  it('戻る goes to the previous question, 最初から to the first, in the same conversation', () => {
    const c = converse().say('はい').say('はい');
    expect(c.last.state).toBe('uses_owari_address');
    c.say('戻る');
    expect(c.last.state).toBe('connects_via_owari');
    c.say('back');
    expect(c.last.state).toBe('uses_mail_software');
    c.say('戻る');
    expect(c.last.text).toContain('これが最初の質問です');
    c.say('はい').say('はい').say('はい').say('windows').say('thunderbird');
    expect(c.last.state).toBe('settings');
    c.say('最初から');
    expect(c.last.state).toBe('uses_mail_software');
    expect(c.record.context).toEqual({ trail: [] });
    c.say('はい').say('やり直し');
    expect(c.last.state).toBe('uses_mail_software');
    expect(c.record.reference).toBe('OW-TEST-00');
  });

  it('English / 日本語 switch the language mid-conversation and repeat the question', () => {
    const c = converse().say('はい').say('English');
    expect(c.record.lang).toBe('en');
    expect(c.last.text).toContain('Question 2');
    c.say('日本語');
    expect(c.last.text).toContain('【質問2】');
  });
});

describe('side notes at any step, then back to where the customer was', () => {
  const notes: [string, RegExp][] = [
    ['レンタルサーバを使っています', /https:\/\/www\.owari\.ne\.jp\/support\/rental\//],
    ['25番ポートブロックって何？', /25/],
    ['なぜブロックするの？', /迷惑メール|ウイルス|ウィルス/],
    ['サブミッションポートとは', /587/],
    ['SMTP認証って何ですか', /認証/],
  ];
  for (const [text, answer] of notes) {
    it(`「${text}」 at question 2`, () => {
      const c = converse().say('はい').say(text);
      expect(c.last.text).toMatch(answer);
      expect(c.last.quick_replies!.map((r) => r.payload)).toContain('continue');
      expect(c.record.step).toBe('connects_via_owari');
      c.say('続ける');
      expect(c.last.state).toBe('connects_via_owari');
      c.say('はい');
      expect(c.last.state).toBe('uses_owari_address');
    });
  }

  it('the rental-server note links RENTAL_SERVER_URL', () => {
    const c = converse(testDeps({ RENTAL_SERVER_URL: 'https://rental.example.jp/owari' })).say('レンタルサーバーの場合は？');
    expect(c.last.links?.map((l) => l.url)).toContain('https://rental.example.jp/owari');
  });
});

describe('when the bot does not understand', () => {
  it('says so kindly and shows the options again; the second miss in a row offers a person', () => {
    const c = converse().say('qwzx');
    expect(c.last.text).toContain('うまく読み取れませんでした');
    expect(c.last.quick_replies!.map((r) => r.payload)).toEqual(['yes', 'no', 'unsure']);
    c.say('zzqv');
    const replies = c.turns.at(-1)!.replies;
    expect(replies.map((r) => r.text).join('\n')).toContain('0120-000-000');
    expect(c.record.step).toBe('uses_mail_software');
  });

  it('only misses in a row count: an understood message in between starts the count again', () => {
    const c = converse().say('qwzx').say('はい').say('zzqv');
    expect(c.last.text).toContain('うまく読み取れませんでした');
    expect(c.turns.at(-1)!.trace.handoff).toBeUndefined();
    c.say('xxyy');
    expect(c.turns.at(-1)!.trace.handoff).toBe(true);
    c.say('yyzz');
    expect(c.turns.at(-1)!.trace.handoff).toBeUndefined();
  });

  it('「フレッツ光です」 names the line, not the provider: the bot explains how to tell', () => {
    const c = converse().say('はい').say('フレッツ光です');
    expect(c.last.text).toContain('プロバイダ名');
    expect(c.record.step).toBe('connects_via_owari');
  });

  it('「わからない」, typed or tapped, explains how to tell and keeps the question', () => {
    const c = converse().say('はい').say('わからない');
    expect(c.last.text).toContain('プロバイダ名');
    expect(c.last.quick_replies!.map((r) => r.payload)).toEqual(['yes', 'no', 'unsure']);
    c.say('unsure');
    expect(c.last.text).toContain('プロバイダ名');
    expect(c.record.step).toBe('connects_via_owari');
  });
});

describe('stored conversations and flow changes', () => {
  it('resumes at the same step with a welcome back', () => {
    const deps = testDeps();
    const c = converse(deps).say('はい').say('はい');
    const resumed = resumeConversation(deps, c.record);
    expect(resumed.replies[0]!.state).toBe('uses_owari_address');
    expect(resumed.replies[0]!.text).toContain('おかえりなさい');
  });

  it('a conversation stored at a step that no longer exists restarts politely instead of failing', () => {
    const deps = testDeps();
    const c = converse(deps).say('はい');
    const stale = { ...c.record, flowVersion: 0, step: 'removed_step', context: { trail: ['gone'], product: 'nope' } };
    const resumed = resumeConversation(deps, stale);
    expect(resumed.replies[0]!.state).toBe('uses_mail_software');
    expect(resumed.replies[0]!.text).toContain('最初からご案内します');
    const next = takeTurn(deps, stale, 'はい');
    expect(next.record.step).toBe('uses_mail_software');
    expect(next.record.flowVersion).toBe(deps.bundle.flow.version);
  });

  it('a conversation from an older flow version whose step still exists continues there', () => {
    const deps = testDeps();
    const c = converse(deps).say('はい');
    const older = { ...c.record, flowVersion: 0 };
    expect(takeTurn(deps, older, 'はい').record.step).toBe('uses_owari_address');
  });
});

describe('network hint (OWARI_NETWORKS)', () => {
  it('a customer connecting from インターネット尾張 is told so at question 2 and asked to confirm', async () => {
    const { startConversation } = await import('../../src/conversation/turn.ts');
    const deps = testDeps();
    const started = startConversation(deps, 'ja', 'OW-TEST-01', { onOwariNetwork: true });
    const next = takeTurn(deps, started.record, 'はい');
    expect(next.replies[0]!.text).toContain('インターネット尾張の回線から接続されているようです');
    expect(next.replies[0]!.text).toContain('【質問2】');
    expect(next.record.step).toBe('connects_via_owari');
    const elsewhere = converse(deps).say('はい');
    expect(elsewhere.last.text).not.toContain('接続されているようです');
  });
});
