/** A pasted error text or a question is answered, and the setup told around it (system, software, line, address) is kept. */
import { describe, expect, it } from 'vitest';
import { converse, testDeps } from '../support/turns.ts';

describe('an error pasted together with facts', () => {
  it('explains the error code and keeps the system and software named beside it: then only questions 2 and 3', () => {
    const c = converse().say('Windows 11 の Outlook 2019 から送ると 0x800CCC0E のエラーになる');
    const texts = c.turns.at(-1)!.replies.map((m) => m.text).join('\n');
    expect(texts).toContain('0x800CCC0E');
    expect(c.turns.at(-1)!.trace.errorCode).toBe('0x800CCC0E');
    expect(c.last.state).toBe('connects_via_owari');
    expect(c.record.context).toMatchObject({ os: 'windows', product: 'outlook', usesMailSoftware: true });
    c.say('はい').say('はい');
    expect(c.last.state).toBe('change_required_owari_known_client');
  });

  it('at the client question, the software named before an SMTP reply is taken as the answer', () => {
    const c = converse().say('はい').say('はい').say('はい').say('Windows');
    expect(c.last.state).toBe('choose_client_windows');
    c.say('使ってるのはサンダーバード、送信すると 554 5.7.1 Relay access denied と返ってくる');
    expect(c.turns.at(-1)!.trace.errorCode).toBeDefined();
    expect(c.record.context).toMatchObject({ os: 'windows', product: 'thunderbird' });
    expect(c.last.state).toBe('settings');
  });

  it('the recipient\'s address inside a pasted error is not the customer\'s: no verdict for it', () => {
    const c = converse().say('はい').say('はい');
    c.say('iPhoneにこう出ました　メールを送信できません　受信者“ken.sato@example.jp”がサーバによって拒否されたため、メッセージのコピーが送信トレイに入れられました。');
    expect(c.turns.at(-1)!.trace.errorCode).toBe('0x800CCC79');
    expect(c.record.context.owariAddress).toBeUndefined();
    expect(c.turns.at(-1)!.replies.some((m) => m.outcome)).toBe(false);
  });

  it('Apple Mail\'s failed login, with the server named inside it, is the account name or password', () => {
    const c = converse().say('はい').say('はい').say('はい').say('Mac').say('Macのメール');
    c.say('ユーザ名またはパスワードが“mail.owari.ne.jp”で正しくありません　ってでてきて送れん');
    expect(c.turns.at(-1)!.trace.errorCode).toBe('smtp_535');
  });

  it('an error with nothing else still stands alone with its way back', () => {
    const c = converse().say('はい').say('はい');
    c.say('0x800CCC0F');
    expect(c.last.state).toBe('uses_owari_address');
    expect(c.turns.at(-1)!.trace.errorCode).toBe('0x800CCC0F');
    expect(c.last.quick_replies!.map((r) => r.payload)).toContain('continue');
  });

  it('a question asked together with the setup is answered, and the setup moves the conversation on', () => {
    const c = converse().say('ブラウザでGmailを見てるだけなんですが、なぜ25番ポートをブロックするんですか？');
    expect(c.turns.at(-1)!.trace.faq).toBeDefined();
    expect(c.turns.at(-1)!.trace.outcome).toBe('no-change-needed');
  });

  it('an error pasted from a mail program after 「Yes.」 at question 1 is explained, and question 1 is answered', () => {
    const c = converse(testDeps(), 'en').say('Yes. This is the error I get: Sending of the message failed. The message could not be sent because connecting to Outgoing server (SMTP) mail.owari.ne.jp failed.');
    expect(c.turns.at(-1)!.trace.errorCode).toBeDefined();
    expect(c.record.step).toBe('connects_via_owari');
  });

  it('a question about mail software answers nothing about using one: question 1 stays, with its help', () => {
    const c = converse().say('そもそもメールソフトって何のことですか？');
    expect(c.turns.at(-1)!.trace.keys).toEqual(['steps.uses_mail_software.how_to_tell']);
    const elsewhere = converse().say('はい').say('メールソフトって何のことですか？');
    expect(elsewhere.turns.at(-1)!.trace.faq).toBe('what_is_mail_software');
    expect(c.record.step).toBe('uses_mail_software');
    expect(c.record.context.usesMailSoftware).toBeUndefined();
  });
});
