import { describe, expect, it } from 'vitest';
import { MASKED_ACCOUNT, MASKED_EMAIL, MASKED_PHONE, maskBotText, maskCustomerText, maskEmails } from '../../src/staff/mask.ts';

describe('masking before anything is stored for staff', () => {
  it('masks a mail address however the customer writes the separator', () => {
    const written = [
      'taro@owari.ne.jp',
      'taro＠owari.ne.jp',
      'ｔａｒｏ＠ｏｗａｒｉ．ｎｅ．ｊｐ',
      'taro%40owari.ne.jp',
      'taro at owari.ne.jp',
      'taro AT owari.ne.jp',
      'taro あっと owari.ne.jp',
      'taroあっとowari.ne.jp',
      'taro アット owari.ne.jp',
      'taro@owari。ne。jp',
    ];
    for (const address of written) expect(maskEmails(`アドレスは ${address} です`), address).toBe(`アドレスは ${MASKED_EMAIL} です`);
  });

  it('leaves text without an address as it is: answers, error numbers, times, the server name', () => {
    const kept = ['はい', 'restart', 'エラー 0x800CCC0E が出ます', '535 5.7.8 Authentication failed', 'meet at 9.30', 'mail.owari.ne.jp の 587 番', 'see https://www.owari.ne.jp/op25b'];
    for (const text of kept) expect(maskCustomerText(text), text).toBe(text);
  });

  it('masks phone numbers of 10 or 11 digits, not shorter numbers', () => {
    expect(maskCustomerText('電話は 052-123-4567 です')).toBe(`電話は ${MASKED_PHONE} です`);
    expect(maskCustomerText('０９０−１２３４−５６７８')).toBe(MASKED_PHONE);
    expect(maskCustomerText('ポート 587 と 25')).toBe('ポート 587 と 25');
  });

  it('masks the account name the bot learnt, as a whole word, in what the customer typed and what the bot said', () => {
    expect(maskCustomerText('アカウントは taro です', 'taro')).toBe(`アカウントは ${MASKED_ACCOUNT} です`);
    expect(maskCustomerText('information', 'info')).toBe('information');
    expect(maskBotText('アカウント名: taro\nサーバー: mail.owari.ne.jp', 'taro')).toBe(`アカウント名: ${MASKED_ACCOUNT}\nサーバー: mail.owari.ne.jp`);
    expect(maskBotText('https://example.test/profile?user=ta%2Bro', 'ta+ro')).toBe(`https://example.test/profile?user=${MASKED_ACCOUNT}`);
  });
});
