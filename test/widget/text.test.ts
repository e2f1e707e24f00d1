import { describe, expect, it } from 'vitest';
import { linkify, safeColor, safeHref, textColorOn } from '../../src/widget/text.ts';

const join = (segs: ReturnType<typeof linkify>) => segs.map((s) => s.text).join('');

describe('linkify', () => {
  it('keeps markup as text: nothing in bot text becomes a tag', () => {
    const text = '<img src=x onerror=alert(1)><script>alert(2)</script>&amp;';
    expect(linkify(text)).toEqual([{ kind: 'text', text }]);
  });

  it('turns http and https URLs into links and keeps every character of the text', () => {
    const text = 'マニュアル: https://www.owari.ne.jp/support/mail/windows/thunderbird.html をご覧ください。\n次は http://example.jp/a?b=1&c=2#x';
    const segs = linkify(text);
    expect(join(segs)).toBe(text);
    expect(segs.filter((s) => s.kind === 'link').map((s) => s.kind === 'link' && s.href)).toEqual([
      'https://www.owari.ne.jp/support/mail/windows/thunderbird.html',
      'http://example.jp/a?b=1&c=2#x',
    ]);
  });

  it('ends a URL where Japanese text or sentence punctuation starts', () => {
    const segs = linkify('詳しくはhttps://owari.ne.jp/help/をご覧ください。または(https://owari.ne.jp/x).');
    const links = segs.filter((s) => s.kind === 'link').map((s) => s.text);
    expect(links).toEqual(['https://owari.ne.jp/help/', 'https://owari.ne.jp/x']);
    expect(join(segs)).toBe('詳しくはhttps://owari.ne.jp/help/をご覧ください。または(https://owari.ne.jp/x).');
  });

  it('keeps a closing parenthesis that belongs to the URL', () => {
    const [link] = linkify('https://ja.wikipedia.org/wiki/Port_25_Blocking_(OP25B)').filter((s) => s.kind === 'link');
    expect(link?.text).toBe('https://ja.wikipedia.org/wiki/Port_25_Blocking_(OP25B)');
  });

  it('does not link javascript:, data: or mailto: in running text, nor a scheme with no host', () => {
    for (const t of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'mailto:a@b.jp', 'https://', 'see http:// here']) {
      expect(linkify(t).every((s) => s.kind === 'text'), t).toBe(true);
      expect(join(linkify(t))).toBe(t);
    }
  });

  it('links a URL whose text tries to smuggle quotes or brackets as the visible text, not as markup', () => {
    const segs = linkify('https://evil.example/"><img src=x onerror=alert(1)>');
    const link = segs.find((s) => s.kind === 'link');
    expect(link?.kind === 'link' && link.href).toBe('https://evil.example/');
    expect(join(segs)).toBe('https://evil.example/"><img src=x onerror=alert(1)>');
  });

  it('handles empty text and text without URLs', () => {
    expect(linkify('')).toEqual([]);
    expect(linkify('はい')).toEqual([{ kind: 'text', text: 'はい' }]);
  });
});

describe('safeHref', () => {
  it.each([
    ['https://owari.ne.jp/manual.html', 'https://owari.ne.jp/manual.html'],
    ['http://owari.ne.jp', 'http://owari.ne.jp/'],
    ['mailto:support@owari.ne.jp', 'mailto:support@owari.ne.jp'],
    ['tel:0120-000-000', 'tel:0120-000-000'],
    ['  HTTPS://OWARI.NE.JP/A  ', 'https://owari.ne.jp/A'],
  ])('allows %s', (raw, href) => expect(safeHref(raw)).toBe(href));

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example/x',
    '/relative/path',
    'ftp://owari.ne.jp/',
    '',
  ])('refuses %j', (raw) => expect(safeHref(raw)).toBeNull());

  it('refuses non-strings', () => {
    expect(safeHref(undefined)).toBeNull();
    expect(safeHref({ toString: () => 'https://x.jp' })).toBeNull();
  });
});

describe('safeColor / textColorOn', () => {
  it('accepts hex colours and names only', () => {
    expect(safeColor('#0b5394')).toBe('#0b5394');
    expect(safeColor('#abc')).toBe('#abc');
    expect(safeColor('navy')).toBe('navy');
    expect(safeColor('red;}:host{display:none')).toBeNull();
    expect(safeColor('url(https://x)')).toBeNull();
    expect(safeColor('expression(alert(1))')).toBeNull();
    expect(safeColor(null)).toBeNull();
  });

  it('picks readable text on the brand colour', () => {
    expect(textColorOn('#0b5394')).toBe('#fff');
    expect(textColorOn('#000')).toBe('#fff');
    expect(textColorOn('#ffd400')).toBe('#111');
    expect(textColorOn('#ffffff')).toBe('#111');
  });
});
