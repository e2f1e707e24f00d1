/**
 * Text normalization shared by every matcher.
 *
 * Two aligned forms are produced from one input: `key` (the folded text every word list is matched
 * against) and `script` (one class letter per character of `key`, taken before kana folding). We
 * keep them aligned so a matcher can ask "was the character next to this match katakana?" — that is
 * how ネスケ is found in 「ネスケ使ってます」 but not inside ビジネスケース, although both sides are
 * folded to hiragana for matching.
 */

/** Script classes: K katakana, H hiragana, L latin letter, D digit, J kanji, S space, P anything else. */
export type ScriptClass = 'K' | 'H' | 'L' | 'D' | 'J' | 'S' | 'P';

export interface Analysed {
  /** NFKC + lower case, nothing else: used where the original letters matter (addresses, codes). */
  readonly plain: string;
  /** Folded text: kana folded to hiragana, small kana enlarged, dash/tilde variants after kana → ー. */
  readonly key: string;
  /** One ScriptClass per character of `key`. */
  readonly script: string;
}

/** Input longer than this is cut: nobody types more into a chat box, and it bounds the work per turn. */
export const MAX_INPUT = 2000;

const SMALL_KANA: Record<string, string> = {
  ぁ: 'あ', ぃ: 'い', ぅ: 'う', ぇ: 'え', ぉ: 'お', ゃ: 'や', ゅ: 'ゆ', ょ: 'よ', ゎ: 'わ', ゕ: 'か', ゖ: 'け',
};

// Dashes, minus signs, tildes and wave dashes people type instead of the long-vowel mark ー.
const LONG_VOWEL_LIKE = new Set([...'-‐‑‒–—―−－ｰ~～〜〰ー']);
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\ufe00-\ufe0f]/g;

const isSpace = (c: number): boolean =>
  c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0xfeff;

function classOf(ch: string): ScriptClass {
  const c = ch.codePointAt(0) ?? 0;
  // The middle dot separates words like a space does (アウトルック・エクスプレス).
  if (ch === '・' || ch === '･' || isSpace(c)) return 'S';
  if (c >= 0x3041 && c <= 0x309f) return 'H';
  if ((c >= 0x30a1 && c <= 0x30ff) || c === 0x30fc) return 'K';
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return 'L';
  if (c >= 0x30 && c <= 0x39) return 'D';
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || c === 0x3005 || c === 0x30f6) return 'J';
  return 'P';
}

const isKanaClass = (c: string | undefined): boolean => c === 'H' || c === 'K';
const isWordClass = (c: string | undefined): boolean => c === 'L' || c === 'D';

const QUOTES = new Set([...'「」『』“”"']);

export function analyse(input: unknown): Analysed {
  let text = typeof input === 'string' ? input : input == null ? '' : String(input);
  if (text.length > MAX_INPUT) text = text.slice(0, MAX_INPUT);
  // Lone surrogates make normalize() and regexes behave oddly; drop them (never throw on any string).
  text = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
  let folded = text.normalize('NFKC');
  // NFKC can make one character many ("ﷺ" is 18): the cut holds after it too.
  if (folded.length > MAX_INPUT) folded = folded.slice(0, MAX_INPUT).replace(/[\ud800-\udbff]$/, '');
  const plain = folded.replace(ZERO_WIDTH, '').toLowerCase();

  const out: string[] = [];
  const cls: string[] = [];
  for (const raw of plain) {
    // Quotes wrap a name (「メール」ってアプリ, Windows 10 の「メール」): the name is what counts.
    if (QUOTES.has(raw)) continue;
    let ch = raw;
    let c = classOf(ch);
    const prevCls = cls[cls.length - 1];
    if (LONG_VOWEL_LIKE.has(ch)) {
      if (ch === 'ー' || isKanaClass(prevCls)) {
        // A long vowel only after kana; collapse ーー to one so 「はーーい」 reads as 「はーい」.
        if (out[out.length - 1] === 'ー') continue;
        if (!isKanaClass(prevCls)) { ch = '-'; c = 'P'; }
        else { ch = 'ー'; c = prevCls as ScriptClass; }
      } else {
        ch = ch === '~' || ch === '～' || ch === '〜' || ch === '〰' ? '~' : '-';
        c = 'P';
      }
    } else if (c === 'S') {
      // All kinds of spaces collapse to one; a space only survives between two latin words/digits
      // ("outlook express", "windows 10"), where it separates words. Between Japanese it is noise.
      if (cls.length === 0 || prevCls === 'S') continue;
      ch = ' ';
    } else if (c === 'K') {
      const code = ch.codePointAt(0)!;
      if (code >= 0x30a1 && code <= 0x30f6) ch = String.fromCodePoint(code - 0x60);
      else if (ch === 'ヷ') ch = 'わ';
    }
    ch = SMALL_KANA[ch] ?? ch;
    if (ch === 'ゔ') ch = 'ぶ';
    out.push(ch);
    cls.push(c);
  }
  // Drop spaces that do not separate two latin words.
  const key: string[] = [];
  const script: string[] = [];
  for (let i = 0; i < out.length; i++) {
    if (cls[i] === 'S') {
      if (!(isWordClass(cls[i - 1]) && isWordClass(cls[i + 1]))) continue;
    }
    // A small っ that ends a word is emphasis (「はいっ！」「うんっ」), not a sound.
    if (out[i] === 'っ' && (i + 1 === out.length || cls[i + 1] === 'S' || cls[i + 1] === 'P')) continue;
    key.push(out[i]!);
    script.push(cls[i]!);
  }
  return withReadings(key.join(''), script.join(''), plain.trim());
}

/**
 * Readings and inflections written one way, so that every word list matches every spelling of a word:
 * the kanji of common verbs in their kana reading (使って = つかって, 分からない = 判らない = わからない,
 * 違う = ちがう, 知らない = しらない, 人に代わって = ひとにかわって), 知らん = 知らない, 最初っから = 最初から,
 * a double negative as the yes it is (使ってないわけではない = 使ってる), and the humble, dialect and long forms of
 * 〜ている in one short form (使っております, 使っとる, 使いよる, ついとる, 使っている → つかってる). Lists are folded the same way (matcher.ts compiles them through analyse).
 * Small kana are already enlarged here (っちょる is seen as っちよる). Each rule is a literal with at most one following character looked at: linear in the text. A stem at the
 * end of a list entry (「このまま使」) is read the same way as in the middle of a message.
 */
const READINGS: Record<string, string> = {
  使: 'つか', 分: 'わ', 判: 'わ', 解: 'わ', 違: 'ちが', 繋: 'つな', 出来: 'でき', 下さ: 'くださ', 無: 'な', 頂: 'いただ', 致: 'いた',
  知: 'し', 知らん: 'しらない', 覚: 'おぼ', 代: 'か', 替: 'か', 人: 'ひと',
  // The dialect negative of 知る (知らん) and the colloquial 最初っから.
  しらん: 'しらない', っから: 'から',
  // A double negative is a yes: 使ってないわけではない = 使ってる.
  てないわけではない: 'てる', てないわけじゃない: 'てる', てないわけでもない: 'てる', てないことはない: 'てる', てないこともない: 'てる',
  // 〜いとる (Owari: ついとる) and the western progressive 使いよる.
  いとります: 'いてます', いとる: 'いてる', 使いよります: 'つかってます', つかいよります: 'つかってます', 使いよる: 'つかってる', つかいよる: 'つかってる',
  てはおりません: 'てはいません', ではおりません: 'ではいません', ておりません: 'てません', でおりません: 'でません', ていません: 'てません', でいません: 'でません', ていない: 'てない', でいない: 'でない',
  ております: 'てます', でおります: 'でます', っとります: 'ってます', っちよります: 'ってます', ています: 'てます', でいます: 'でます',
  っとる: 'ってる', っちよる: 'ってる', ている: 'てる', でいる: 'でる', ておる: 'てる', でおる: 'でる',
  // 「使こうとる」「つこうてる」 (Owari, Kansai): the う-onbin of 使う.
  使こうとります: 'つかってます', つこうとります: 'つかってます', 使こうとる: 'つかってる', つこうとる: 'つかってる', 使こうて: 'つかって', つこうて: 'つかって',
};
const READING = /てないわけ(?:では|じゃ|でも)ない|てないこと[はも]ない|知らん|しらん|知(?=[らりるれっ])|覚(?=え)|[代替](?=わ)|人|っから|いとります|いとる|使いよります|つかいよります|使いよる|つかいよる|使(?=[っうわいえお]|$)|分(?=か|$)|[判解](?=[からっ]|$)|違(?=[うわいえっ]|$)|繋(?=[がぎぐげい]|$)|出来|下さ(?=い)|無(?=[いくか])|頂(?=[いきくけか])|致(?=[しす])|[てで]はおりません|[てで]おりません|[てで]いません|[てで]いない|[てで]おります|っとります|っちよります|[てで]います|っとる|っちよる|[てで]いる|[てで]おる|[使つ]こう(?:とります|とる|て)/g;

/** `text` with READINGS applied (for staff-written patterns, which are matched against the folded text). */
export function foldReadings(text: string): string {
  return text.replace(READING, (m) => READINGS[m] ?? m);
}

function withReadings(key: string, script: string, plain: string): Analysed {
  READING.lastIndex = 0;
  if (!READING.test(key)) return { plain, key, script };
  let outKey = '';
  let outScript = '';
  let at = 0;
  READING.lastIndex = 0;
  for (let m = READING.exec(key); m; m = READING.exec(key)) {
    const to = READINGS[m[0]] ?? m[0];
    outKey += key.slice(at, m.index) + to;
    outScript += script.slice(at, m.index) + 'H'.repeat(to.length);
    at = m.index + m[0].length;
  }
  return { plain, key: outKey + key.slice(at), script: outScript + script.slice(at) };
}

/** The folded form used for matching: NFKC, lower case, hiragana, big kana, ー, spaces only between latin words. */
export function normalize(text: string): string {
  return analyse(text).key;
}

/** Whether a character class is a word character for latin boundaries. */
export function isLatinOrDigit(c: string | undefined): boolean {
  return c === 'L' || c === 'D';
}
