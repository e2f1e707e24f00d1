import { describe, expect, it } from 'vitest';
import { parseCustomerAddress, isValidLocalPart } from '../../src/autoconfig/address.ts';
import { customerAddress } from '../../src/conversation/shortcuts.ts';

const D = 'owari.ne.jp';

describe('parseCustomerAddress', () => {
  it('accepts an owari address and splits it', () => {
    expect(parseCustomerAddress('taro.yamada@owari.ne.jp', D)).toEqual({
      ok: true, address: 'taro.yamada@owari.ne.jp', localPart: 'taro.yamada', domain: 'owari.ne.jp',
    });
  });
  it('lowercases the domain, keeps the local part, trims', () => {
    expect(parseCustomerAddress('  Taro@OWARI.NE.JP \n', D)).toMatchObject({ ok: true, address: 'Taro@owari.ne.jp', localPart: 'Taro' });
  });
  it('accepts full-width input typed with a Japanese IME', () => {
    expect(parseCustomerAddress('ｔａｒｏ＠ｏｗａｒｉ．ｎｅ．ｊｐ', D)).toMatchObject({ ok: true, address: 'taro@owari.ne.jp' });
  });
  it.each([
    ['', 'empty'], ['   ', 'empty'], [undefined, 'empty'], [['a@owari.ne.jp'], 'empty'],
    ['taro', 'syntax'], ['@owari.ne.jp', 'syntax'], ['taro@', 'syntax'], ['.taro@owari.ne.jp', 'syntax'],
    ['taro.@owari.ne.jp', 'syntax'], ['ta..ro@owari.ne.jp', 'syntax'], ['"ta ro"@owari.ne.jp', 'syntax'],
    ['ta ro@owari.ne.jp', 'syntax'], ['たろう@owari.ne.jp', 'syntax'], ['taro@owari@owari.ne.jp', 'syntax'],
    ['<script>@owari.ne.jp', 'syntax'], ['taro@owari.ne.jp\r\nBcc: x@y.jp', 'syntax'], ['taro@-owari.ne.jp', 'syntax'],
    ['taro@example.com', 'foreign_domain'], ['taro@mail.owari.ne.jp', 'foreign_domain'], ['taro@owari.ne.jp.evil.com', 'foreign_domain'],
    [`${'a'.repeat(65)}@owari.ne.jp`, 'too_long'], [`${'a'.repeat(300)}@owari.ne.jp`, 'too_long'], ['a'.repeat(5000), 'too_long'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(parseCustomerAddress(input, D)).toEqual({ ok: false, problem });
  });
  it('accepts the RFC atext specials and 64-character local parts', () => {
    expect(parseCustomerAddress("o'hara+tag_1-x@owari.ne.jp", D).ok).toBe(true);
    expect(parseCustomerAddress(`${'a'.repeat(64)}@owari.ne.jp`, D).ok).toBe(true);
  });
  it('follows the configured domain', () => {
    expect(parseCustomerAddress('taro@example.jp', 'example.jp').ok).toBe(true);
    expect(parseCustomerAddress('taro@owari.ne.jp', 'example.jp')).toEqual({ ok: false, problem: 'foreign_domain' });
  });
});

describe('the conversation side uses the same local-part rule', () => {
  it.each(['taro', 'taro.yamada', "o'hara+x", 'a'.repeat(64), 'a'.repeat(65), '.taro', 'ta..ro', 'ta ro', 'たろう', '', 'x<y', 'a"b'])(
    '%j',
    (local) => {
      expect(customerAddress(local, D) !== undefined).toBe(isValidLocalPart(local));
      expect(customerAddress(`${local}@${D}`, D) !== undefined).toBe(parseCustomerAddress(`${local}@${D}`, D).ok);
    },
  );
});
