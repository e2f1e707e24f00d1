/**
 * Masking as a table: what a customer may type, and what staff see of it. Positive cases are masked
 * wherever they stand in a sentence; negative ones (error numbers, SMTP replies, dates, times, versions,
 * addresses of machines) stay exactly as typed, because staff need them to help.
 */
import { describe, expect, it } from 'vitest';
import { MASKED_EMAIL, MASKED_PHONE, maskCustomerText } from '../../src/staff/mask.ts';

const P = MASKED_PHONE;
const E = MASKED_EMAIL;

/** [typed, what staff see] */
const masked: [string, string][] = [
  ['090-1234-5678', P],
  ['09012345678', P],
  ['052-123-4567', P],
  ['03-1234-5678', P],
  ['0120-123-456', P],
  ['090 1234 5678', P],
  ['090.1234.5678', P],
  ['090/1234/5678', P],
  ['052_123_4567', P],
  ['090ー1234ー5678', P],
  ['052(123)4567', P],
  ['(052)123-4567', `(${P}`],
  ['+81-90-1234-5678', P],
  ['+81 90 1234 5678', P],
  ['tel09012345678', `tel${P}`],
  ['TEL:090-1234-5678', `TEL:${P}`],
  ['Tel. 052-123-4567', `Tel. ${P}`],
  ['０９０－１２３４－５６７８', P],
  ['０９０−１２３４−５６７８', P],
  ['０９０（１２３４）５６７８', P],
  ['〇九〇一二三四五六七八', P],
  ['〇九〇-一二三四-五六七八', P],
  ['090の1234の5678', P],
  ['090-1234-5678 03-1234-5678', `${P} ${P}`],
  ['090-1234-5678 2026-12-03', `${P} 2026-12-03`],
  ['2026-12-03 090-1234-5678', `2026-12-03 ${P}`],
  ['090 1234 5678 10060', `${P} 10060`],
  ['16.0.12345.20000 090-1234-5678', `16.0.12345.20000 ${P}`],
  ['taro@owari.ne.jp', E],
  ['taro_jiro@owari.ne.jp', E],
  ['taro あっと owari.ne.jp', E],
];

const kept = [
  '0x800CCC0E',
  '0x800CCC0F',
  'エラー 0x800CCC0E (10060)',
  '10060',
  '535 5.7.8 Authentication failed',
  '554 5.7.1 Relay access denied',
  '2026-12-03 14:55',
  '2026/12/03 14:55:00',
  '2026.12.03',
  '2026年12月3日 14時55分',
  '二〇二六年十二月三日',
  '12:30〜13:45',
  '03.12.2026',
  'Windows 10 と Outlook 2019',
  'バージョン 16.0.12345.20000',
  'IP 192.168.10.100',
  'ポート 587 と 25',
  '1000円',
  '一二三',
];

describe('masking table', () => {
  it.each(masked)('%s is masked', (typed, seen) => {
    expect(maskCustomerText(typed)).toBe(seen);
    expect(maskCustomerText(`連絡先は ${typed} です`)).toBe(`連絡先は ${seen} です`);
    expect(maskCustomerText(`連絡先は${typed}です`)).toBe(`連絡先は${seen}です`);
  });

  it.each(kept)('%s stays readable', (typed) => {
    expect(maskCustomerText(typed)).toBe(typed);
    expect(maskCustomerText(`エラーは ${typed} です`)).toBe(`エラーは ${typed} です`);
  });
});
