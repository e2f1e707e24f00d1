/** The conversation remembers what the customer told, early or several things at once, and asks only what is missing. */
import { describe, expect, it } from 'vitest';
import { resumeConversation, takeTurn, type ConversationRecord } from '../../src/conversation/turn.ts';
import { converse, testDeps } from '../support/turns.ts';

const outcomes = (c: ReturnType<typeof converse>) => c.turns.flatMap((t) => t.replies.map((m) => m.outcome)).filter(Boolean);

describe('facts given early or together', () => {
  it('「Windows 11でOutlook使ってます」 at question 1 answers it, the OS and the client: then only questions 2 and 3', () => {
    const c = converse().say('Windows 11でOutlook使ってます');
    expect(c.last.state).toBe('connects_via_owari');
    c.say('はい').say('はい');
    expect(c.last.state).toBe('change_required_owari_known_client');
    expect(c.last.outcome).toBe('change-required-owari');
    expect(c.record.context).toMatchObject({ os: 'windows', product: 'outlook', usesMailSoftware: true, viaOwari: true, owariAddress: true });
  });

  it('an address typed with the client answers question 3 and puts the account in the settings', () => {
    const c = converse().say('はい、taro.y@owari.ne.jp をサンダーバードで送ってます').say('はい');
    // Question 3 is passed (its answer is known); the verdict is said, then the one question still open.
    expect(outcomes(c)).toContain('change-required-owari');
    expect(c.last.text).toContain('Thunderbird ですね');
    expect(c.last.quick_replies!.map((r) => r.payload)).toEqual(['windows', 'mac']);
    c.say('Windowsです');
    expect(c.last.state).toBe('settings');
    expect(c.last.text).toContain('taro.y');
    expect(c.last.text).not.toContain('@より前の部分');
  });

  it('a client named at the device question is understood, and completed by the one question it needs', () => {
    const c = converse().say('はい').say('はい').say('はい').say('サンダーバードです');
    expect(c.last.state).toBe('change_required_owari');
    expect(c.last.text).toContain('Thunderbird ですね。Windows と Mac のどちらでお使いですか？');
    expect(c.last.text).not.toContain('【結果】');
    c.say('マック');
    expect(c.last.state).toBe('settings');
    expect(c.record.context).toMatchObject({ os: 'mac', product: 'thunderbird' });
  });

  it('with the settings shown, another client named is a correction: its settings; software not in the list: the notice\'s answer for it', () => {
    const c = converse().say('はい').say('はい').say('はい').say('Windows').say('アウトルック');
    expect(c.record.context).toMatchObject({ product: 'outlook' });
    c.say('あ、ごめんなさいサンダーバードでした');
    expect(c.last.state).toBe('settings');
    expect(c.record.context).toMatchObject({ os: 'windows', product: 'thunderbird' });
    expect(c.last.text).toContain('Thunderbird');
    // 「Android」 alone is the Gmail app (the only one the notice lists there); the customer then names the app they use.
    const phone = converse().say('はい').say('はい').say('はい').say('Android');
    expect(phone.record.context).toMatchObject({ product: 'gmail_app' });
    phone.say('K-9 Mailってアプリです');
    expect(phone.last.state).toBe('client_not_listed');
    expect(phone.record.context).toMatchObject({ os: 'smartphone', product: undefined, unlistedClient: true });
    expect(phone.last.text).toContain('お使いのメールソフト の設定値');
    expect(phone.last.text).not.toContain('Gmail アプリ (Android) の設定値');
    phone.say('戻る');
    expect(phone.last.state).toBe('change_required_owari');
    // A word the bot does not know, with nothing that names a program, is not taken for one.
    expect(converse().say('はい').say('はい').say('はい').say('Windows').say('アウトルック').say('ありがとう助かりました').last.state).not.toBe('client_not_listed');
  });

  it('a program named beside the system at question 1 is the client, not the system\'s own program', () => {
    const c = converse().say('iPhoneでSparkってアプリ使ってます').say('はい').say('はい');
    expect(c.last.state).toBe('client_not_listed');
    expect(c.record.context).toMatchObject({ os: 'smartphone', unlistedClient: true, product: undefined });
    const outlook = converse().say('はい').say('はい').say('はい').say('スマホ').say('iPhoneのOutlookアプリです');
    expect(outlook.last.state).toBe('client_not_listed');
  });

  it('with the Gmail app\'s settings shown, a phone maker\'s own mail app described gets the advice for software not in the list', () => {
    const c = converse().say('はい').say('はい').say('はい').say('アンドロイドのスマホ');
    expect(c.record.context.product).toBe('gmail_app');
    c.say('Galaxyに最初から入ってる「Eメール」っていうアプリ');
    expect(c.last.state).toBe('client_not_listed');
  });

  it('a phone named by its maker is remembered: its own mail app described later is the maker\'s, not in the list', () => {
    const c = converse().say('はい').say('はい').say('はい').say('スマホ(Xperia)');
    expect(c.record.context).toMatchObject({ os: 'smartphone', androidPhone: true });
    c.say('最初から入ってた「メール」ってアプリ');
    expect(c.last.state).toBe('client_not_listed');
    // Going back to the device question forgets the maker with the system.
    c.say('戻る').say('戻る');
    expect(c.last.state).toBe('change_required_owari');
    expect(c.record.context.androidPhone).toBeUndefined();
  });

  it('the system typed after the advice for software not in the list completes it', () => {
    const c = converse().say('はい').say('はい').say('はい').say('その他');
    expect(c.record.context.os).toBeUndefined();
    // Until the system is known, no list of the programs confirmed on it (and no sentence with a blank for it).
    expect(c.last.text).not.toContain('動作を確認しているメールソフト');
    c.say('Windows7です');
    expect(c.last.state).toBe('client_not_listed');
    expect(c.record.context).toMatchObject({ os: 'windows', unlistedClient: true });
    expect(c.last.text).toContain('Windows でインターネット尾張が動作を確認しているメールソフト');
  });

  it('a person asked for in a message that tells the system: the system is kept, then the contact', () => {
    const c = converse().say('はい').say('はい').say('はい').say('パソコンはだいぶ古いウィンドウズで、自分ではようわからんので、担当の方に来てもらえませんか');
    expect(c.turns.at(-1)!.trace.handoff).toBe(true);
    expect(c.record.context.os).toBe('windows');
    expect(c.record.step).toBe('choose_client_windows');
  });

  it('a question about a case tells nothing of the customer\'s own; a いいえ before a question answers too', () => {
    const c = converse().say('はい').say('はい').say('他のプロバイダのアドレスの場合は？');
    expect(c.record.step).toBe('uses_owari_address');
    expect(c.record.context.owariAddress).toBeUndefined();
    const d = converse().say('はい').say('いいえ。ちなみに今の設定のままでも送れますか？');
    expect(d.turns.at(-1)!.trace.faq).toBeDefined();
    expect(d.record.step).toBe('change_recommended');
    // A case asked about with no FAQ for it: what each answer to the question means, and the question stays.
    const e = converse().say('はい').say('他の会社のネットやったらどないなるん？');
    expect(e.turns.at(-1)!.trace.keys).toEqual(['steps.connects_via_owari.how_to_tell']);
    expect(e.record.step).toBe('connects_via_owari');
  });

  it('the client named together with 「はい」 at question 3 leads straight to its settings', () => {
    const c = converse().say('はい').say('はい').say('はい、iPhoneのメールです');
    expect(c.last.state).toBe('change_required_owari_known_client');
    expect(c.record.context).toMatchObject({ os: 'smartphone', product: 'iphone_mail' });
  });

  it('a yes/no answer given in passing never overturns an answer the customer gave when asked', () => {
    const c = converse().say('はい').say('いいえ');
    expect(c.last.outcome).toBe('change-recommended');
    expect(c.record.context.viaOwari).toBe(false);
  });
});

describe('a question with an address typed beside it', () => {
  it('「アカウント名って何いれたらいいの？アドレスは yamada.k@owari.ne.jp です」 is answered with the customer\'s own account, which is kept', () => {
    const c = converse().say('はい').say('はい').say('はい').say('Windows').say('Thunderbird');
    c.say('アカウント名って何いれたらいいの？アドレスは yamada.k@owari.ne.jp です');
    expect(c.turns.at(-1)!.trace.keys).toEqual(['faq:account_name_account_known']);
    expect(c.last.text).toContain('「yamada.k」');
    expect(c.record.context.account).toBe('yamada.k');
  });
});

describe('with the settings shown', () => {
  it('a corrected address shows them again with its account; 「はい」 is an acknowledgement, not a miss', () => {
    const c = converse().say('はい').say('はい').say('はい、satou_k@owari.ne.jp').say('Windows').say('Becky! Internet Mail');
    expect(c.last.text).toContain('satou_k');
    c.say('すみません、アドレス間違えてました。sato_k@owari.ne.jp です');
    expect(c.last.state).toBe('settings');
    expect(c.last.text).toContain('sato_k');
    expect(c.last.text).not.toContain('satou_k');
    c.say('はい');
    expect(c.turns.at(-1)!.trace.keys).toEqual(['common.anything_else']);
    expect(c.record.misses).toBe(0);
  });
});

describe('an answer with a question after it', () => {
  it('「使ってます。それよりなんで急に送れなくなったの？」 is answered and question 1 is passed', () => {
    const c = converse().say('使ってます。それよりなんで急に送れなくなったの？');
    expect(c.turns.at(-1)!.trace.faq).toBe('suddenly_cannot_send');
    expect(c.last.state).toBe('connects_via_owari');
  });
});

describe('an earlier answer corrected', () => {
  it('「やっぱり回線はドコモ光だった」 at question 3: question 2 is answered again, and its verdict follows', () => {
    const c = converse().say('はい').say('はい').say('やっぱり回線はドコモ光だった');
    expect(c.last.outcome).toBe('change-recommended');
    expect(c.last.text).toContain('先ほどのお答えを訂正して');
    expect(c.record.context).toMatchObject({ usesMailSoftware: true, viaOwari: false });
    // Back leads to the question whose answer was corrected.
    c.say('戻る');
    expect(c.last.state).toBe('connects_via_owari');
  });

  it('asked about the address, a line told instead (「回線はドコモ光です」) corrects question 2; it is no address', () => {
    const c = converse().say('はい').say('はい').say('回線はドコモ光です');
    expect(c.last.outcome).toBe('change-recommended');
    expect(outcomes(c)).not.toContain('change-required-other-provider');
  });

  it('with the settings shown, 「実はアドレスはniftyのでした」 gives the other provider\'s verdict; the client is kept', () => {
    const c = converse().say('はい').say('はい').say('はい').say('Windows').say('Outlook 2016');
    expect(c.last.state).toBe('settings');
    c.say('すみません、実はアドレスはniftyのでした');
    expect(c.last.outcome).toBe('change-required-other-provider');
    expect(c.record.context).toMatchObject({ owariAddress: false, product: 'outlook', os: 'windows' });
  });

  it('「間違えました、メールはブラウザで見てます」 after question 3 leads to no change needed', () => {
    const c = converse().say('Windows10でThunderbird使ってます').say('はい').say('はい');
    c.say('間違えました、メールはブラウザで見てます');
    expect(c.last.outcome).toBe('no-change-needed');
  });

  it('in English: "actually my line is from another provider" after the Owari verdict', () => {
    const c = converse(testDeps(), 'en').say('yes').say('yes').say('yes');
    expect(c.last.outcome).toBe('change-required-owari');
    c.say('actually my internet is from another provider');
    expect(c.last.outcome).toBe('change-recommended');
  });

  it('another system named alone with the settings shown replaces the known one; the verdict is not said again', () => {
    const c = converse().say('はい').say('はい').say('はい').say('Mac').say('Eudora 6.2');
    expect(c.record.context).toMatchObject({ os: 'mac', product: 'eudora' });
    c.say('あ、パソコンはWindowsの方だった');
    // Eudora 6.2 is older than the 7 the notice confirmed for Windows.
    expect(c.last.state).toBe('client_too_old');
    expect(c.turns.at(-1)!.replies.some((m) => m.outcome)).toBe(false);
  });

  it('a mistake owned up to with nothing else told goes back a step', () => {
    const c = converse().say('はい').say('はい').say('はい').say('Windows').say('Thunderbird');
    c.say('まってまって、ソフト選びまちがえたわ');
    expect(c.last.state).toBe('choose_client_windows');
  });

  it('a fact said in passing is no correction: webmail mentioned at question 3, a carrier\'s mail app asked for the program', () => {
    const webmail = converse().say('はい').say('はい').say('ブラウザでも見られるけど');
    expect(webmail.record.context.usesMailSoftware).toBe(true);
    expect(outcomes(webmail)).not.toContain('no-change-needed');
    const app = converse().say('はい').say('はい').say('はい').say('Windows').say('ドコモのメールアプリ');
    expect(app.record.context.viaOwari).toBe(true);
    expect(outcomes(app)).not.toContain('change-recommended');
  });
});

describe('what the answer says outweighs a yes-word', () => {
  it.each(['ポケットWi-Fiでつないでます', 'スマホのテザリングでつないでます', 'ドコモ光でつないでます'])('「%s」 at question 2 is another line', (text) => {
    const c = converse().say('はい').say(text);
    expect(c.last.outcome).toBe('change-recommended');
  });
  it.each(['ニフティのアドレスです', '勤め先のアドレスです', 'はい、会社のアドレスです'])('「%s」 at question 3 is never our verdict', (text) => {
    const c = converse().say('はい').say('はい').say(text);
    expect(outcomes(c)).not.toContain('change-required-owari');
    expect(c.last.outcome).toBe('change-required-other-provider');
  });
  it.each(['プロバイダからもらったアドレスです', '尾張さんのアドレスです', 'おわりの光のメアドです'])('「%s」 at question 3 (our line confirmed) is ours', (text) => {
    const c = converse().say('はい').say('はい').say(text);
    expect(c.last.outcome).toBe('change-required-owari');
  });
});

describe('software not in the list, and not knowing', () => {
  it.each(['Claws Mailを使ってます', 'Postboxです', 'Airmail', 'Galaxyのメールアプリ', 'ギャラクシーのメールアプリです', 'Foobarmail'])('「%s」 at the client question gets the notice\'s answer for unlisted software', (text) => {
    const c = converse().say('はい').say('はい').say('はい').say('Windows').say(text);
    expect(c.last.state).toBe('client_not_listed');
  });
  it('an unlisted program named at question 1 is remembered until the device is known', () => {
    const c = converse().say('Claws Mailで送ってます').say('はい').say('はい');
    expect(c.last.state).toBe('client_not_listed');
    expect(outcomes(c)).toContain('change-required-owari');
  });
  it('「名前が分からん」 at the client question and 「わからない」 at the device question explain how to find out, and stay', () => {
    const c = converse().say('はい').say('はい').say('はい').say('わからない');
    expect(c.last.state).toBe('change_required_owari');
    expect(c.last.text).toContain('リンゴ');
    c.say('Windows').say('名前が分からん');
    expect(c.last.state).toBe('choose_client_windows');
    expect(c.last.text).toContain('タスクバー');
  });
});

describe('a message that is not understood', () => {
  it('at a verdict re-asks only its question, never the verdict or settings block', () => {
    const c = converse().say('はい').say('はい').say('はい').say('ぴよぴよ');
    expect(c.last.text).toContain('うまく読み取れませんでした');
    expect(c.last.text).not.toContain('【結果】');
    expect(c.last.quick_replies!.map((r) => r.payload)).toEqual(['windows', 'mac', 'smartphone', 'other']);
    const s = converse().say('はい').say('はい').say('はい').say('windows').say('thunderbird').say('ぴよぴよ');
    expect(s.last.text).not.toContain('mail.owari.ne.jp');
    expect(s.last.quick_replies!.map((r) => r.payload)).toEqual(['another_client', 'restart']);
  });
});

describe('back and restart forget what they should', () => {
  it('back forgets the answer of the step returned to, and only that', () => {
    const c = converse().say('Windows 11でOutlook使ってます').say('はい');
    expect(c.last.state).toBe('uses_owari_address');
    c.say('戻る');
    expect(c.last.state).toBe('connects_via_owari');
    expect(c.record.context.viaOwari).toBeUndefined();
    expect(c.record.context).toMatchObject({ os: 'windows', product: 'outlook' });
    c.say('いいえ');
    expect(c.last.outcome).toBe('change-recommended');
  });
  it('back from a step reached by skipping returns to the skipped question and asks it', () => {
    const c = converse().say('はい、taro@owari.ne.jp です').say('はい');
    expect(c.record.step).toBe('change_required_owari');
    c.say('戻る');
    expect(c.last.state).toBe('uses_owari_address');
    c.say('いいえ');
    expect(c.last.outcome).toBe('change-required-other-provider');
  });
  it('restart forgets everything', () => {
    const c = converse().say('Windows 11でOutlook使ってます').say('最初からお願いします');
    expect(c.record.context).toEqual({ trail: [] });
  });
});

describe('stored conversations', () => {
  it('a record stored before facts were kept (no fact fields) resumes and carries on', () => {
    const deps = testDeps();
    const stored: ConversationRecord = {
      flowVersion: 1, lang: 'ja', step: 'change_required_owari', context: { trail: ['uses_mail_software', 'connects_via_owari', 'uses_owari_address'], product: 'thunderbird' },
      misses: 0, reference: 'OW-OLD0-01', createdAt: 1, updatedAt: 1,
    };
    expect(resumeConversation(deps, stored).replies[0]!.state).toBe('change_required_owari');
    const next = takeTurn(deps, stored, 'windows');
    expect(next.record.step).toBe('settings');
    expect(next.record.context).toMatchObject({ os: 'windows', product: 'thunderbird' });
    expect(takeTurn(deps, next.record, '戻る').record.step).toBe('change_required_owari');
  });
});

describe('a complaint or question on the way', () => {
  it('「なんで急に送れなくなったんですか？」 at question 2 is answered and question 2 stays; nothing is forgotten', () => {
    const c = converse().say('はい').say('なんで急に送れなくなったんですか？');
    expect(c.last.state).toBe('connects_via_owari');
    expect(c.record.context).toMatchObject({ usesMailSoftware: true });
    c.say('尾張です');
    expect(c.last.state).toBe('uses_owari_address');
  });
  it('at question 1 the same complaint starts the diagnosis', () => {
    const c = converse().say('急にメールが送れなくなりました');
    expect(c.last.state).toBe('uses_mail_software');
    expect(c.turns.at(-1)!.trace.faq).toBe('suddenly_cannot_send');
  });
});
