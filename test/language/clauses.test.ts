import { describe, expect, it } from 'vitest';
import { readFacts } from '../../src/language/facts.ts';
import { understand, type StepContext } from '../../src/language/index.ts';
import { lexicon, steps } from './helpers.ts';

const facts = (text: string, step: StepContext = steps.q1) => readFacts(text, step, lexicon);
const answer = (text: string, step: StepContext) => {
  const u = understand(text, step, lexicon);
  return u.kind === 'answer' ? u.answer : u.kind;
};

describe('what a negation belongs to', () => {
  it('trouble with a program is not a denial of using it', () => {
    expect(answer('iPhoneのメールアプリで送れなくなった', steps.q1)).toBe('yes');
    expect(facts('Outlookが使えなくなりました').client).toMatchObject({ value: 'outlook' });
    expect(answer('Outlookは使ってない', steps.q1)).toBe('no');
  });
  it('a no in another clause does not turn a content word round; one in its own clause does', () => {
    expect(answer('ウェブメールは使ってないです。パソコンにメールソフトを入れてます', steps.q1)).toBe('yes');
    expect(answer('メールソフトは使ってます', steps.q1)).toBe('yes');
    expect(answer('メールソフトは使ってない', steps.q1)).toBe('no');
    expect(answer('メールはほとんどしません', steps.q1)).toBe('no');
  });
  it('a line word right after インターネット尾張 makes it the line\'s, whatever address follows', () => {
    expect(facts('はい、尾張の光でGmailのアドレスをサンダーバードで使ってます')).toMatchObject({ connection: { value: 'owari' }, address: { value: 'other' } });
    expect(facts('ニフティのアドレスです', steps.q3).connection).toBeUndefined();
  });
  it('an address of ours used besides another is ours', () => {
    expect(answer('両方つかっとる 尾張のとGmail', steps.q3)).toBe('yes');
    expect(facts('両方つかっとる 尾張のとGmail', steps.q3).address).toMatchObject({ value: 'owari' });
  });
  it('アイホン is the iPhone', () => {
    expect(facts('アイホン8', steps.os).client).toMatchObject({ value: 'iphone_mail' });
  });
  it('denying the other choice answers yes', () => {
    expect(answer('ブラウザでは見てないです、ソフトで見てます', steps.q1)).toBe('yes');
    expect(answer('他のプロバイダーは使ってないです', steps.q2)).toBe('yes');
    expect(answer('ほかのアドレスは持ってないです、尾張のだけ', steps.q3)).toBe('yes');
    expect(answer('gmailじゃないです、owariのです', steps.q3)).toBe('yes');
    expect(answer('尾張のネットだけどアドレスはgmail', steps.q3)).toBe('no');
  });
  it('English puts the negation first', () => {
    expect(understand("I don't use webmail, I use Thunderbird", steps.q1, lexicon)).toMatchObject({ answer: 'yes', client: { product: 'thunderbird' } });
    expect(answer('I just open Gmail in Safari', steps.q1)).toBe('no');
  });
});

describe('whose address, whose line', () => {
  it('インターネット尾張 named loosely at question 3 names the address', () => {
    for (const text of ['owariです', 'おわりのめーる', 'owari']) expect(answer(text, steps.q3)).toBe('yes');
  });
  it('the address word may come first, and と / and ends what is said of it', () => {
    expect(facts('うちは尾張のネットでベッキーつこうとる。アドレスもowariのやつだわ')).toMatchObject({ address: { value: 'owari' }, connection: { value: 'owari' } });
    expect(facts('ネットは尾張でメアドはgmail')).toMatchObject({ address: { value: 'other' }, connection: { value: 'owari' } });
    expect(facts('町内会用に尾張で作ってもらったアドレスです', steps.q3).address).toMatchObject({ value: 'owari' });
    expect(facts('はい、尾張の回線と尾張のアドレスでWindowsのBecky使ってます')).toMatchObject({ address: { value: 'owari' }, connection: { value: 'owari' } });
  });
  it('「Gmailのアプリ」 is a program, not the address in it', () => {
    expect(facts('Androidです。Gmailのアプリに尾張のアドレス入れてます').address).toMatchObject({ value: 'owari' });
    expect(answer('Gmailのアドレスです', steps.q3)).toBe('no');
  });
  it('where the computer is does not tell the line, unless the line was asked', () => {
    expect(facts('事務所のパソコンでBeckyを使ってます').connection).toBeUndefined();
    expect(answer('会社のパソコンです', steps.q2)).toBe('no');
  });
});

describe('programs and versions', () => {
  const client = (text: string, step: StepContext = steps.clientWindows) => understand(text, step, lexicon);
  it('versions after の or バージョン, and year editions before the name', () => {
    expect(client('ユードラの6')).toMatchObject({ client: { product: 'eudora', version: '6' } });
    expect(client('Eudora バージョン6')).toMatchObject({ client: { product: 'eudora', version: '6' } });
    expect(client('2000年版のアウトルック')).toMatchObject({ client: { product: 'outlook', version: '2000' } });
    expect(client('Thunderbirdの25番ポート')).toMatchObject({ client: { product: 'thunderbird' } });
    expect((client('Thunderbirdの25番ポート') as { client: { version?: string } }).client.version).toBeUndefined();
  });
  it("another program's mail app is not the system's own", () => {
    expect(client('Yahoo!メールのアプリ').kind).toBe('unknown');
    expect(facts('Yahoo!メールのアプリ', steps.clientWindows).unlistedClient).toBeDefined();
    expect(client('Windows10に最初から入ってた「メール」ってアプリ')).toMatchObject({ client: { product: 'windows_mail_app' } });
    expect(client('AquaMailってアプリです（アンドロイド）', { expects: 'client', offered: ['iphone_mail', 'gmail_app', 'other'], os: 'smartphone' } as StepContext).kind).toBe('unknown');
    expect(facts('AquaMailってアプリです（アンドロイド）', { expects: 'client', offered: ['iphone_mail', 'gmail_app', 'other'], os: 'smartphone' } as StepContext).unlistedClient).toBeDefined();
    expect(client('Androidのgmailアプリ', { expects: 'client', offered: ['iphone_mail', 'gmail_app', 'other'], os: 'smartphone' } as StepContext)).toMatchObject({ client: { product: 'gmail_app' } });
  });
});

describe('questions, doubts and wishes', () => {
  it('いつも asks nothing', () => {
    expect(understand('たぶん使ってないと思う。メールはいつもGoogleのページで見てるから', steps.q1, lexicon).kind).not.toBe('faq');
  });
  it('asking how to check is not knowing', () => {
    expect(answer('どこで確認できますか？', steps.q2)).toBe('unsure');
  });
  it('a value asked again at the settings', () => {
    expect(understand('which port do I use?', steps.settings, lexicon)).toMatchObject({ kind: 'faq', id: 'submission_port' });
    expect(understand('ポート番号もう一回', steps.settings, lexicon)).toMatchObject({ kind: 'faq', id: 'submission_port' });
  });
  it('asking to be told by phone is asking for a person', () => {
    expect(understand('電話で教えてもらえませんか', steps.settings, lexicon).kind).toBe('handoff');
    expect(understand('こういうのようわからんで、電話で誰かに聞きたいんだけど', steps.q1, lexicon).kind).toBe('handoff');
  });
});

describe('one name said of several topics', () => {
  it('回線もアドレスも尾張, 回線・メアドとも owari, アドレス尾張: the line and the address alike', () => {
    for (const text of ['回線もアドレスも尾張です', '回線・メアドとも owari', 'ネットもメールも尾張です', '回線とアドレスは尾張です']) {
      expect(facts(text), text).toMatchObject({ address: { value: 'owari' }, connection: { value: 'owari' } });
    }
    expect(facts('Thunderbird 115 使用。尾張光。アドレス尾張。')).toMatchObject({ address: { value: 'owari' }, connection: { value: 'owari' } });
    expect(facts('ネットも尾張です').address).toBeUndefined();
  });
  it('a place gives way to a line named as ours; a provider or a LAN does not', () => {
    expect(facts('会社の事務所から送れない。事務所のネットはインターネット尾張の光').connection).toMatchObject({ value: 'owari' });
    expect(facts('職場から送ってます').connection).toMatchObject({ value: 'other' });
    expect(facts('会社のLANで、尾張のアドレスです').connection).toMatchObject({ value: 'other' });
    // Told in passing, a place where webmail is read is not the line of the mail software.
    expect(facts('普段はOutlook2010で、たまに出先でWebメールも見ます').connection).toBeUndefined();
  });
  it('a slash separates what is said', () => {
    expect(facts('Thunderbird 78 / インターネット尾張の光回線 / アドレス m-ito@owari.ne.jp')).toMatchObject({ connection: { value: 'owari' }, address: { value: 'owari', account: 'm-ito' } });
  });
  it('a contrast turns down only its own clause', () => {
    expect(facts('iPhone、Gmailアプリじゃなくて普通のメール')).toMatchObject({ os: { value: 'smartphone' }, client: { value: 'iphone_mail' } });
  });
});

describe('programs for another system, and programs named only by a mail word', () => {
  it('Opera asked on Windows is not in the list there', () => {
    expect(facts('Operaのメール機能使ってます', steps.clientWindows)).toMatchObject({ unlistedClient: { value: true } });
    expect(understand('Operaのメール機能使ってます', steps.clientWindows, lexicon)).toMatchObject({ kind: 'answer', answer: 'other' });
    expect(facts('MacでOutlook（Office 2016 for Mac）を使っています').unlistedClient).toBeDefined();
  });
  it('「メールアプリ」 is the Windows app only where Windows is known', () => {
    expect(understand('メールアプリ', steps.clientWindows, lexicon)).toMatchObject({ kind: 'client', client: { product: 'windows_mail_app' } });
    expect(facts('メールアプリ使ってます').client).toBeUndefined();
  });
  it('outlook.com is a mail service, not Outlook', () => {
    expect(facts('outlook.comをブラウザで見てます').client).toBeUndefined();
  });
});

describe('more of how people say it', () => {
  it('「アドレスもそう」 takes the value of the line said before it', () => {
    expect(facts('XPのOutlook Express6使ってます、プロバイダは尾張です、アドレスもそう')).toMatchObject({ connection: { value: 'owari' }, address: { value: 'owari' } });
    expect(facts('回線はドコモ光で、メアドも同じ').address).toMatchObject({ value: 'other' });
  });
  it("not knowing what the question's own word means asks for the question's help", () => {
    expect(answer('メールソフトって何のことですか？よくわかりません', steps.q1)).toBe('unsure');
    // Asked at the question about it, the question's help answers it; a question that goes on to answer is read as an answer.
    expect(answer('メールソフトって何？', steps.q1)).toBe('unsure');
    expect(answer('メールソフト？使ってない。Gmailのサイトで見とる', steps.q1)).not.toBe('unsure');
    expect(understand('メールソフトって何？', steps.q2, lexicon)).toMatchObject({ kind: 'faq', id: 'what_is_mail_software' });
  });
  it('webmail as well as mail software is mail software; webmail alone is not', () => {
    expect(answer('Webメールも見るけど、メールソフトでも送ってます', steps.q1)).toBe('yes');
    expect(answer('メールソフトなんか使っとれせんわ、ブラウザだけだがね', steps.q1)).toBe('no');
    expect(answer('ワシはパソコンのメールしか使わんでよ、ブラウザのやつは好かん', steps.q1)).toBe('yes');
  });
  it('a mail program described after いいえ outweighs it; one denied does not', () => {
    expect(answer('いいえ。メールはスマホの標準のメールアプリで見てるだけです', steps.q1)).toBe('yes');
    expect(answer('いいえ、メールアプリは使っていません', steps.q1)).toBe('no');
  });
  it('"no other provider" denies the other provider, not the question', () => {
    expect(answer('no other provider, just Internet Owari', steps.q2)).toBe('yes');
    expect(answer('No, I use another provider', steps.q2)).toBe('no');
  });
  it('しか after a particle is "only"', () => {
    expect(answer('メールはブラウザでしか見ません', steps.q1)).toBe('no');
  });
});

describe('the offer, versions and whose address', () => {
  it('「見せて」「お願いします」 accept the offer to show the settings; 「設定を変えたくない」 does not', () => {
    expect(answer('見せて', steps.recommended)).toBe('yes');
    expect(answer('お願いします', steps.recommended)).toBe('yes');
    expect(answer('設定を変えたくない', steps.recommended)).not.toBe('yes');
  });
  it('a version after は, anywhere after バージョン, and written after a name with digits', () => {
    expect(understand('MacのOS X 10.3で、サンダーバードは1.0.7です', steps.clientMac, lexicon)).toMatchObject({ client: { product: 'thunderbird', version: '1.0.7' } });
    expect(understand('サンダーバードなんですけど、かなり古くてバージョン1.0です', steps.clientMac, lexicon)).toMatchObject({ client: { version: '1.0' } });
    expect(understand('AL-Mail32 1.11', steps.clientWindows, lexicon)).toMatchObject({ client: { product: 'al_mail32', version: '1.11' } });
  });
  it('インターネット尾張 said of the address outweighs whose address it is', () => {
    expect(answer('はい、会社のアドレスも尾張のです', steps.q3)).toBe('yes');
    expect(answer('会社のアドレスです', steps.q3)).toBe('no');
  });
  it('a phone used as the line is not the device', () => {
    expect(facts('スマホのテザリングでパソコンつないでる。メールはベッキー')).toMatchObject({ os: { value: 'windows' }, connection: { value: 'other' } });
  });
  it('「ヤフーのじゃなくて尾張の方のアドレス」 turns Yahoo down', () => {
    expect(answer('送れないのはヤフーのじゃなくて尾張の方のアドレスです', steps.q3)).toBe('yes');
  });
});

describe('questions about a case, apologies, emphasis', () => {
  it('a case asked about is answered but is not the customer\'s own', () => {
    expect(understand('他のプロバイダのアドレスの場合は？', steps.q3, lexicon)).toMatchObject({ kind: 'faq', hypothetical: true });
    expect(understand('他の会社のネットやったらどないなるん？', steps.q2, lexicon)).toMatchObject({ kind: 'unknown', hypothetical: true });
    expect(answer('どうやって確かめたらええの?', steps.q2)).toBe('unsure');
  });
  it('a はい / いいえ said before a question answers the question asked too', () => {
    expect(understand('いいえ。ちなみに今の設定のままでも送れますか？', steps.q2, lexicon)).toMatchObject({ kind: 'faq', answer: 'no' });
  });
  it('a small っ ending a word is emphasis; an apology before a command is no reason to miss it', () => {
    expect(answer('はいっ！', steps.q3)).toBe('yes');
    expect(answer('はいってます', steps.q1)).not.toBe('yes');
    expect(understand('すみません、戻ってください。Macじゃなかったです', steps.clientMac, lexicon)).toEqual({ kind: 'command', command: 'back' });
    expect(understand('530 Authentication required ってメールが戻ってくる', steps.q2, lexicon)).toEqual({ kind: 'error_code', id: 'smtp_530' });
  });
  it('a previous provider\'s address, a school\'s or a company domain\'s is not ours', () => {
    expect(answer('いいえ　前のプロバイダのアドレスを使い続けてます', steps.q3)).toBe('no');
    expect(facts('大学のメアドです', steps.q3).address).toMatchObject({ value: 'employer' });
    expect(facts('会社のドメインのアドレス', steps.q3).address).toMatchObject({ value: 'employer' });
  });
  it('dialect: わからへん, わがんねぇ, つこうとる; a person asked for with つないで / 呼んで', () => {
    expect(answer('わからへん', steps.q2)).toBe('unsure');
    expect(answer('わがんねぇ', steps.q2)).toBe('unsure');
    expect(understand('もういいです、スタッフさんにつないでもらえますか', steps.q2, lexicon)).toEqual({ kind: 'handoff' });
    expect(understand('設定やってみたけど無理、スタッフさん呼んで', steps.settings, lexicon)).toEqual({ kind: 'handoff' });
  });
  it('the server asked for again is the settings FAQ; 0x800CCC0D is a server not found', () => {
    expect(understand('了解。サーバ名もう一回', steps.settings, lexicon)).toMatchObject({ kind: 'faq', id: 'settings_values' });
    expect(understand('What do I put as the outgoing (SMTP) server?', steps.settings, lexicon)).toMatchObject({ kind: 'faq', id: 'settings_values' });
    expect(understand('エラー番号: 0x800CCC0D', steps.settings, lexicon)).toEqual({ kind: 'error_code', id: '0x800CCC0D' });
  });
  it('katakana after a word\'s hiragana particle starts another word (「ソフトでメール」)', () => {
    expect(answer('パソコンに入ってるソフトでメール見てる', steps.q1)).toBe('yes');
  });
});

describe('an answer asked about is not said', () => {
  it('a sentence that asks (どこ, 何) or a last clause asking with the answer\'s words gets the question\'s help', () => {
    expect(answer('他社プロバイダって、例えばどこのことを言うとるの？', steps.q2)).toBe('unsure');
    expect(answer('ルーターにNTTって書いてあるんだけど これは尾張なの？', steps.q2)).toBe('unsure');
    expect(answer('尾張ですか？', steps.q2)).toBe('unsure');
  });
  it('an answer said before a question about it still answers; a bare の ending is no question', () => {
    expect(answer('尾張の光ですけど、これでいいの？', steps.q2)).toBe('yes');
    expect(answer('はい、尾張ですよね？', steps.q2)).toBe('yes');
    expect(answer('m.sato@nagoya-kikai.co.jp です（会社の）', steps.q3)).toBe('no');
    expect(answer('光です、尾張の', steps.q2)).toBe('yes');
  });
});

describe('readings and set phrases', () => {
  it('知らん, 覚えとらん and a hedge both ways are not knowing', () => {
    expect(answer('どこで繋がってるかなんて知らんわ 壁から線きてるだけやし', steps.q2)).toBe('unsure');
    expect(answer('アドレスの後ろのほうなんて覚えとらんわ', steps.q3)).toBe('unsure');
    expect(answer('えーと…たぶん？使ってるような使ってないような…', steps.q1)).toBe('unsure');
  });
  it('間違いない is a yes, whatever its ない', () => {
    expect(answer('尾張さんで間違いなかです。もう10年以上つかっとるけん', steps.q2)).toBe('yes');
  });
  it('a person asked for in kana, and 最初っから', () => {
    expect(answer('ﾑｽﾞｶｼｲ ﾋﾄﾆｶﾜｯﾃ', steps.clientPhone)).toBe('handoff');
    expect(understand('もういっぺん最初っからお願いしますわ', steps.settings, lexicon)).toEqual({ kind: 'command', command: 'restart' });
  });
  it('an opening "no" before a sentence answers, and denies nothing in it', () => {
    expect(answer('no its a gmail address', steps.q3)).toBe('no');
  });
});

describe('things described by how they look', () => {
  it('a computer by its logo: the apple is a Mac, the window a Windows PC', () => {
    expect(answer('りんごのマークがついとるノートパソコン', steps.os)).toBe('mac');
    expect(answer('画面の左下に窓みたいな旗のマークが出とるやつ', steps.os)).toBe('windows');
  });
  it('the mail program by its icon is the system\'s own; the icon word is no maker\'s name', () => {
    expect(understand('Macに最初から入ってる切手のマークのメール', steps.clientMac, lexicon)).toMatchObject({ kind: 'client', client: { product: 'apple_mail' } });
    expect(understand('スタートにある封筒マークの「メール」', steps.clientWindows, lexicon)).toMatchObject({ kind: 'client', client: { product: 'windows_mail_app' } });
    expect(facts('切手のマークのメール', steps.clientMac).unlistedClient).toBeUndefined();
  });
});

describe('typos beside a system, and a typed space', () => {
  it('a program misspelt beside the system is found; the system alone is never a misspelt program', () => {
    expect(understand('Windows ライフメール', steps.clientWindows, lexicon)).toMatchObject({ kind: 'client', client: { product: 'windows_live_mail' } });
    expect(understand('The built-in Mail app on Windows 11', steps.clientWindows, lexicon)).toMatchObject({ kind: 'client', client: { product: 'windows_mail_app' } });
    expect(answer('ウィンドウズ', steps.os)).toBe('windows');
  });
  it('a system\'s name one letter off at the device question', () => {
    expect(answer('wimdows', steps.os)).toBe('windows');
    expect(answer('macbok', steps.os)).toBe('mac');
  });
  it('「メールアプリ アドレスも尾張の」 typed with a space: a program, then an address', () => {
    expect(facts('光回線は尾張で契約してて メールはMacに最初から入ってるメールアプリ アドレスも尾張の 急に送れんくなったんだけど')).toMatchObject({
      client: { value: 'apple_mail' }, address: { value: 'owari' }, connection: { value: 'owari' },
    });
  });
});

describe('negations that belong elsewhere, and readings of dialect', () => {
  it('at question 1, a negation of the line answers nothing there', () => {
    expect(answer('うちはケーブルテレビのネットじゃけぇ尾張じゃないんよ', steps.q1)).toBe('unknown');
  });
  it('an opening no that goes with the other choice it denies answers nothing itself', () => {
    expect(answer('いえいえ、他社なんて使ったことないです。ずっと尾張一本です', steps.q2)).toBe('yes');
    expect(answer('いいえ、他のアドレスは持ってないです', steps.q3)).toBe('yes');
    expect(answer('いいえ、gmailです', steps.q3)).toBe('no');
  });
  it('しか…ない is "only", wherever しか stands before the negation', () => {
    expect(answer('webメールってやつしか使ってへん', steps.q1)).toBe('no');
  });
  it('使いよる, ついとる, and katakana typed on a phone with a follower', () => {
    expect(answer('使いよるよ', steps.q1)).toBe('yes');
    expect(understand('めーる りんごのやつに最初からついとるの', steps.clientMac, lexicon)).toMatchObject({ kind: 'client', client: { product: 'apple_mail' } });
    expect(answer('ｿｳﾃﾞｽﾖ', steps.q3)).toBe('yes');
  });
  it('an address denied right after it is not the customer\'s; another typed after it is', () => {
    expect(facts('設定画面を見たら @owari.ne.jp じゃなかったです。@gmail.com でした', steps.q3).address).toMatchObject({ value: 'other', domain: 'gmail.com' });
  });
  it('webmail read somewhere says nothing of the line the software uses', () => {
    expect(facts('I mostly use webmail at work, but at home I send from Outlook with my owari address').connection).toBeUndefined();
  });
  it('the system\'s own program described after the mail word, or with how it comes', () => {
    expect(understand('Yes, the Mail app that comes with Windows 10', steps.q1, lexicon)).toMatchObject({ kind: 'answer', answer: 'yes', client: { product: 'windows_mail_app' } });
  });
});

describe('asking for a language, questions at the device and client questions, names of a suite', () => {
  it('a language asked for inside a sentence switches; one only named does not', () => {
    expect(understand("Sorry, can we do this in English? I can't read Japanese well", steps.q1, lexicon)).toEqual({ kind: 'language', lang: 'en' });
    expect(understand('my english is bad', steps.q1, lexicon).kind).not.toBe('language');
    expect(understand('554 5.7.1 <kyaku@example.com>: Relay access denied って英語で返ってきた', steps.settings, lexicon)).toMatchObject({ kind: 'error_code' });
  });
  it('a question about the device or client question gets its help; an answer before a question still answers', () => {
    expect(answer('OSって何のことですか？パソコンの名前？', steps.os)).toBe('unsure');
    expect(answer('Windows10ですけど大丈夫ですか？', steps.os)).toBe('windows');
    // A hedge is no question to the bot.
    expect(answer('うーん、使ってないかな', steps.q1)).toBe('no');
  });
  it('the port asked about in other words', () => {
    expect(understand('送信ポートを変えればいいってこと？', steps.verdict, lexicon)).toMatchObject({ kind: 'faq', id: 'submission_port' });
    expect(understand("Where do I type the new port? There's an 'Outgoing server (SMTP)' box with 25 in it", steps.settings, lexicon)).toMatchObject({ kind: 'faq', id: 'submission_port' });
  });
  it('「オフィス2013」 asked for the mail program on Windows is Outlook 2013, and only there', () => {
    expect(understand('WordとExcelと一緒に入っとったメールのやつ。オフィス2013', steps.clientWindows, lexicon)).toMatchObject({ kind: 'client', client: { product: 'outlook', version: '2013' } });
    expect(understand('オフィスで使ってます', steps.q1, lexicon)).not.toMatchObject({ client: { product: 'outlook' } });
  });
});

describe('what the answer is about', () => {
  it('an opening no that turns down webmail, and a double negative, are yes at question 1', () => {
    expect(answer('いいえ、ウェブメールではなくメールソフトです', steps.q1)).toBe('yes');
    expect(answer('メールソフトを使ってないわけではないです', steps.q1)).toBe('yes');
  });
  it('a list turned down goes back to the start of its clause; "but" then another topic keeps both halves', () => {
    expect(answer('他社とか会社のLANとかじゃなくて、普通に家で尾張につないでます', steps.q2)).toBe('yes');
    expect(facts('ネットは尾張じゃないけど、メールは尾張のアドレスでOutlook Express使ってる')).toMatchObject({ connection: { value: 'other' }, address: { value: 'owari' } });
  });
  it('a sentence about the customer\'s languages answers nothing', () => {
    expect(answer('sorry my japanese is not good. mail soft yes', steps.q1)).toBe('yes');
  });
  it('not knowing a name is no doubt about the question', () => {
    expect(answer('孫が入れてくれたソフトで送っとる、名前はわからん、ブラウザではない', steps.q1)).toBe('yes');
    expect(answer('名前はわからん', steps.q1)).toBe('unsure');
  });
  it('not knowing, said last, outweighs an FAQ its words touch; a request for the contact does not', () => {
    expect(answer('どうなんでしょう…前の受付の人が設定したので、ソフトなのかウェブなのか私には判断がつかなくて', steps.q1)).toBe('unsure');
    expect(understand('わからないので、お問い合わせ窓口を教えてください', steps.q3, lexicon).kind).not.toBe('unsure');
  });
  it('a phrase before a noun describes it; a denied name on its own system still denies the program', () => {
    expect(answer('医院のアドレスはホームページ業者が管理しているドメインのものです', steps.q3)).not.toBe('yes');
    expect(facts('医院のアドレスはホームページ業者が管理しているドメインのものです', steps.q3).address).toMatchObject({ value: 'employer' });
    expect(facts('アンドロイドです。標準のメールアプリ(Gmailじゃない方)', steps.os)).toMatchObject({ unlistedClient: { named: true } });
  });
  it('the program a named system comes with, no mail word said; a stuck outbox is an error', () => {
    expect(understand('Windows 11 に付いてきたやつです', steps.clientWindows, lexicon)).toMatchObject({ kind: 'client', client: { product: 'windows_mail_app' } });
    expect(understand('「送信できませんでした」って出て送信トレイにたまっていきます', steps.settings, lexicon)).toEqual({ kind: 'error_code', id: 'outbox_stuck' });
  });
  it('a restart with its reason after a comma; a bare 最初から before a comma is an adverb', () => {
    expect(understand('最初からやり直したい、次は妻のパソコン', steps.settings, lexicon)).toEqual({ kind: 'command', command: 'restart' });
    expect(understand('最初から、ずっと入ってるメールです', steps.clientMac, lexicon).kind).not.toBe('command');
  });
});

describe('more ways customers say it', () => {
  it('romaji opening with hai is Japanese; its no is the particle', () => {
    expect(answer('hai, pasokon no meeru sofuto tsukatteru yo. obrigado', steps.q1)).toBe('yes');
  });
  it('相違ございません and はいい are yes; 任せきり is not knowing', () => {
    expect(answer('はい、相違ございません', steps.q3)).toBe('yes');
    expect(answer('はいい', steps.q1)).toBe('yes');
    expect(answer('主人に任せきりだったもので…どうなんでしょう', steps.q1)).toBe('unsure');
  });
  it('after "but", the system or the line meant; not when what follows is about the mail', () => {
    expect(answer('今は休憩中だでスマホから打っとるけど、設定したいのは家のWindowsのパソコンの方です', steps.os)).toBe('windows');
    expect(facts('マンションのネットだけど、インターネット尾張のマンション向けのやつです', steps.q2).connection).toMatchObject({ value: 'owari' });
    expect(facts('回線は去年ドコモ光に乗り換えたんですけど、メールだけ昔の尾張のを残してます', steps.q2).connection).toMatchObject({ value: 'other' });
  });
  it('a negation of mail software asked about the address is no answer there', () => {
    expect(answer('あれ、よう考えたら私メールソフトなんか使っとらんわ。いつもブラウザだがね', steps.q3)).not.toBe('no');
  });
  it('an address in an SMTP reply\'s angle brackets is not the customer\'s; a version after バージョンは', () => {
    expect(facts('SMTPサーバーからの応答: 554 5.7.1 <info@example.jp>: Relay access denied').address).toBeUndefined();
    expect(facts('ぽすとぺっとで送っとる、バージョンは2だわ').client).toMatchObject({ value: 'postpet', version: '2' });
  });
  it('a person asked for in katakana with its particles; the maker named beside Android', () => {
    expect(answer('ｵﾍﾟﾚｰﾀｰｻﾝﾆﾂﾅｲﾃ', steps.settings)).toBe('handoff');
    expect(facts('Androidの最初から入ってるメールアプリです（Galaxy）', steps.clientPhone).unlistedClient).toMatchObject({ named: true });
    expect(understand('Androidの最初から入ってるメールアプリです', steps.clientPhone, lexicon)).toMatchObject({ client: { product: 'gmail_app' } });
  });
});

describe('addresses typed as domains, and what else a message tells', () => {
  it('a domain typed without @ is the address; one denied right after it is not', () => {
    expect(facts('owari.ne.jpじゃなくて、owari-kogyo.co.jp（勤務先）です', steps.q3).address).toMatchObject({ value: 'other', domain: 'owari-kogyo.co.jp' });
    expect(facts('はい、owari.ne.jpです', steps.q3)).toMatchObject({ address: { value: 'owari' } });
    expect(facts('はい、owari.ne.jpです', steps.q3).connection).toBeUndefined();
  });
  it('another address said after "but" is the one meant', () => {
    expect(facts('あ、すみません、さっき尾張のアドレスって言ったけど会社のでした', steps.verdict)).toMatchObject({ address: { value: 'employer' }, correction: { value: true } });
  });
  it('an answer in the first sentence, then a question', () => {
    expect(understand('使ってます。それよりなんで急に送れなくなったの？', steps.q1, lexicon)).toMatchObject({ kind: 'faq', answer: 'yes' });
    expect(understand('めーるそふと？つこてへんよ。パソコンのぶらうざ？で見とるだけやに', steps.q1, lexicon)).not.toMatchObject({ answer: 'yes' });
  });
  it('not knowing in more words; a request for the phone number is a request for a person', () => {
    expect(answer('主人が設定したので私にはなんとも…主人は夕方まで戻りません', steps.q1)).toBe('unsure');
    expect(answer('尾張のだったか、ぷららのだったか…どっちやったかねえ', steps.q3)).toBe('unsure');
    expect(understand('何回やっても送れないんだけど！電話番号おしえて', steps.verdict, lexicon)).toMatchObject({ kind: 'faq', action: 'handoff' });
  });
  it('pasted Apple Mail and Outlook texts with the server named inside', () => {
    expect(understand('「送信サーバ“mail.owari.ne.jp”でメッセージを送信できません」だってさ。どうしたらいい', steps.settings, lexicon)).toMatchObject({ kind: 'error_code' });
    expect(understand('メッセージを送信できません 送信サーバ“mail.owari.ne.jp”によって受信者“sato@example.jp”が拒否されたため、メッセージを送信できませんでした。', steps.settings, lexicon)).toEqual({ kind: 'error_code', id: '0x800CCC79' });
  });
});
