import { describe, expect, it } from 'vitest';
import { steps, u } from './helpers.ts';

const err = (id: string) => ({ kind: 'error_code', id });

describe('error codes in every spelling, at every step', () => {
  it.each(['0x800CCC0E', '0x800ccc0e', '0X800CCC0E', '800CCC0E', '0x800CCCOE', '8OOCCCOE', '０ｘ８００ＣＣＣ０Ｅ', 'Ox800CCC0E', 'エラー番号: 0x800CCC0E', 'エラー番号０ｘ８００ｃｃｃ０ｅが出て送れません', 'ccc0e'])(
    '%s → 0x800CCC0E', (t) => expect(u(t)).toEqual(err('0x800CCC0E')));

  it.each([['0x800CCC0F', '0x800CCC0F'], ['0x800CCC78', '0x800CCC78'], ['800ccc79', '0x800CCC79'], ['0x80042109', '0x80042109'], ['0x800CCC7D', '0x800CCC7D'], ['0x800CCC80', '0x800CCC80']])(
    '%s → %s', (t, id) => expect(u(t)).toEqual(err(id)));

  it('is recognised whatever step the customer is at', () => {
    for (const step of Object.values(steps)) expect(u('0x800CCC0E', step)).toEqual(err('0x800CCC0E'));
  });

  it('the pasted Outlook Express dialog', () => {
    const dialog = "サーバーへの接続は失敗しました。アカウント: 'mail.owari.ne.jp', サーバー: 'mail.owari.ne.jp', プロトコル: SMTP, ポート: 25, セキュリティ (SSL): なし, ソケット エラー: 10060, エラー番号: 0x800CCC0E";
    expect(u(dialog, steps.q2)).toEqual(err('0x800CCC0E'));
  });

  it('socket errors', () => {
    expect(u('ソケットエラー 10060')).toEqual(err('socket_10060'));
    expect(u('socket error 10061')).toEqual(err('socket_10061'));
    expect(u('ソケット エラー: 10054')).toEqual(err('socket_10054'));
    expect(u('10051')).toEqual(err('socket_10051'));
  });

  it('SMTP replies, but not any 3-digit number', () => {
    expect(u('530 5.7.0 Authentication required')).toEqual(err('smtp_530'));
    expect(u('530エラーが出ます')).toEqual(err('smtp_530'));
    expect(u('サーバーからの応答: 535 5.7.8 Error: authentication failed')).toEqual(err('smtp_535'));
    expect(u('538 5.7.11 Encryption required for requested authentication mechanism')).toEqual(err('smtp_538'));
    expect(u('554 5.7.1 <taro@example.com>: Relay access denied')).toEqual(err('smtp_relay_denied'));
    expect(u('550 5.7.1 Relaying denied')).toEqual(err('smtp_relay_denied'));
    expect(u('530円でした', steps.q3)).not.toMatchObject({ kind: 'error_code' });
  });

  it("Thunderbird's Japanese error texts", () => {
    expect(u('送信 (SMTP) サーバー mail.owari.ne.jp との接続がタイムアウトしました。')).toEqual(err('tb_timeout'));
    expect(u('送信 (SMTP) サーバー mail.owari.ne.jp に接続できなかったため、メッセージを送信できませんでした。')).toEqual(err('tb_connection_refused'));
    expect(u('送信 (SMTP) サーバー mail.owari.ne.jp の認証に失敗しました。')).toEqual(err('tb_auth_failed'));
    expect(u('いずれかの受信者がサーバーによって拒否されたため、メッセージを送信できませんでした。')).toEqual(err('0x800CCC79'));
  });

  it("Apple Mail and iPhone error texts, at the client question too", () => {
    expect(u('このメッセージは送信サーバ“mail.owari.ne.jp”で拒否されました。別の送信サーバを選択するか、あとで送信してください。', steps.clientMac)).toEqual(err('smtp_relay_denied'));
    expect(u('メールを送信できません　サーバへの接続に失敗したため、このメッセージは送信トレイに入っています', steps.settings)).toEqual(err('tb_connection_refused'));
  });
});

describe('errors pasted from today\'s mail programs', () => {
  it.each([
    ['553 sorry, that domain isn\'t in my list of allowed rcpthosts', 'smtp_relay_denied'],
    ['Cannot send mail. The user name or password for “mail.owari.ne.jp” is incorrect.', 'smtp_535'],
    ['ユーザ名またはパスワードが正しくありません', 'smtp_535'],
    ['メールを送信できません。サーバ“mail.owari.ne.jp”によって受信者が拒否されました', '0x800CCC79'],
    ['Login to server mail.owari.ne.jp failed.', 'tb_auth_failed'],
    ['Cannot send message using the server mail.owari.ne.jp', 'tb_connection_refused'],
  ])('%s → %s', (text, id) => {
    for (const step of [steps.q1, steps.q2, steps.q3, steps.os]) expect(u(text, step)).toEqual({ kind: 'error_code', id });
  });

  it('English words of a pasted error never answer the question', () => {
    const pasted = 'The message could not be sent because the server isn\'t responding';
    for (const step of [steps.q1, steps.q2, steps.q3]) expect(u(pasted, step)).not.toMatchObject({ kind: 'answer' });
    expect(u('No, it is not owari', steps.q2)).toMatchObject({ kind: 'answer', answer: 'no' });
  });
});
