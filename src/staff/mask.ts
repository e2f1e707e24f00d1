/**
 * Personal data is masked before anything is stored for staff: mail addresses (customers type theirs at
 * question 3; the address itself must never be stored), the account name the bot learnt from it, and
 * phone numbers however they are written (090.1234.5678, ０９０－１２３４－５６７８, 〇九〇一二三四五六七八, TEL:…).
 * Error numbers (0x800CCC0E, 10060), SMTP codes (535 5.7.8), dates and times stay readable.
 */
export const MASKED_EMAIL = '[メールアドレス]';
export const MASKED_PHONE = '[電話番号]';
export const MASKED_ACCOUNT = '[アカウント名]';

/**
 * Every repetition is bounded: these patterns run on the event loop for every customer message, and an
 * unbounded `\s*` next to another one lets a message of spaces and あっと take seconds (ReDoS).
 * Local parts as people really write them (RFC 5322 also allows / = ? &, which would swallow URLs), at most
 * the 64 characters RFC 5321 allows (a longer run is no deliverable address).
 */
const LOCAL_CHAR = "[A-Za-z0-9Ａ-Ｚａ-ｚ０-９._+\\-－_＿．]";
/** Only from the start of a run of such characters, so a long run is read once, not once from every character in it. */
const LOCAL = `(?<!${LOCAL_CHAR})${LOCAL_CHAR}{1,64}`;
const LABEL = '[A-Za-z0-9Ａ-Ｚａ-ｚ０-９\\-－]{1,63}';
/** At least one dot, ending in a label that starts with a letter (so "at 9.30" is not an address). */
const DOMAIN = `${LABEL}(?:[.．。]${LABEL}){0,8}[.．。][A-Za-zＡ-Ｚａ-ｚ][A-Za-z0-9Ａ-Ｚａ-ｚ０-９\\-－]{0,62}`;
/** name@domain, also ＠, URL-encoded %40 and spelled-out " at " / あっと between the parts, with a few spaces around. */
const EMAIL = new RegExp(`${LOCAL}(?:\\s{0,3}(?:@|＠|%40|あっと|アット)\\s{0,3}|\\s{1,3}(?:at|AT)\\s{1,3})${DOMAIN}`, 'gu');

/** Digits as typed: ASCII, full width, and kanji numerals (〇九〇…). */
const DIGITS = '0-9０-９〇一二三四五六七八九';
const DIGIT = `[${DIGITS}]`;
/** What people put between the groups of a phone number: dashes, long-vowel marks, dots, slashes, underscores, spaces, brackets, の. */
const SEP = '[-‐‑–—－―ー−.．/／_＿・\\s()（）の]';
const GLUE = `[${DIGITS}A-Za-zＡ-Ｚａ-ｚ]`;
/** "tel", "TEL:", "Tel. " right before the number (the number stays masked even glued to it). */
const TEL = '(?:tel|TEL|Tel|ｔｅｌ|ＴＥＬ)[:：.．]?\\s?';
/**
 * A run of digits with at most three separator characters between two digits. Digit and separator sets are
 * disjoint and there is no lookaround, so a run is read once from its start (no ReDoS); whether it is glued to
 * letters (0x800CCC0E) is looked at by maskPhones.
 */
const DIGIT_RUN = new RegExp(`(${TEL})?([+＋]?${DIGIT}(?:${SEP}{0,3}${DIGIT})*)`, 'gu');
const GLUED = new RegExp(`^${GLUE}$`, 'u');
const gluedAt = (text: string, at: number) => at >= 0 && at < text.length && GLUED.test(String.fromCodePoint(text.codePointAt(at)!));
/** The character before `at` may be the low half of a surrogate pair: look at the whole character. */
const gluedBefore = (text: string, at: number) => at > 0 && gluedAt(text, at - (at >= 2 && /[\udc00-\udfff]/.test(text[at - 1]!) ? 2 : 1));

const KANJI_DIGITS = '〇一二三四五六七八九';
/** The run's digits in ASCII ("〇九〇" → "090"). */
function asciiDigits(run: string): string {
  let out = '';
  for (const ch of run) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x30 && c <= 0x39) out += ch;
    else if (c >= 0xff10 && c <= 0xff19) out += String.fromCharCode(c - 0xff10 + 0x30);
    else if (KANJI_DIGITS.includes(ch)) out += String(KANJI_DIGITS.indexOf(ch));
  }
  return out;
}

/** Groups of digits in a run: "090-1234-5678" has 3, "2026-12-03 14:55" has 4. */
const SEPARATORS = new RegExp(`${SEP}+`, 'u');
const digitGroups = (run: string) => run.split(SEPARATORS).filter((g) => g !== '').length;
/** A stretch of a run without spaces (digits and the other separators). */
const PIECE = /[^\s()（）]+/gu;

/**
 * Japanese phone numbers have 10 (landline with area code, 0120) or 11 (mobile, 050) digits; +81 ones more.
 * Written in groups they start with 0 (or +81 / 81) and have at most four groups; a date and time such as
 * "2026-12-03 14:55" has ten digits too, but starts with the year. Ten or more digits in one group are
 * masked whatever they start with (a number that long is nobody's error code).
 */
function isPhoneNumber(run: string): boolean {
  const digits = asciiDigits(run);
  if (digits.length < 10) return false;
  const groups = digitGroups(run);
  if (groups === 1) return true;
  if (groups > 4) return false;
  if (digits.startsWith('0')) return digits.length <= 11;
  return (/^[+＋]/u.test(run) || digits.startsWith('81')) && digits.length <= 13;
}

/**
 * Phone numbers inside a longer run ("090-1234-5678 03-1234-5678", "090-1234-5678 2026-12-03"). The run is cut
 * at its spaces; from each piece on, the longest stretch of whole pieces (up to four digit groups) that is a phone
 * number is masked. A piece is never cut inside, so "16.0.12345.20000" stays a version number.
 */
function maskWithin(run: string): string {
  const pieces = [...run.matchAll(PIECE)].map((m) => ({ start: m.index, end: m.index + m[0].length, groups: digitGroups(m[0]) }));
  let out = '';
  let done = 0;
  for (let i = 0; i < pieces.length; i++) {
    let groups = 0;
    let last = i;
    while (last < pieces.length && groups + pieces[last]!.groups <= 4) groups += pieces[last++]!.groups;
    for (let j = last - 1; j >= i; j--) {
      const { start } = pieces[i]!;
      const { end } = pieces[j]!;
      if (!isPhoneNumber(run.slice(start, end))) continue;
      out += run.slice(done, start) + MASKED_PHONE;
      done = end;
      i = j;
      break;
    }
  }
  return out + run.slice(done);
}

/**
 * The separators EMAIL requires: text without any of them holds no address. Most texts (every bot reply without
 * one, "はい") are answered by this scan alone, instead of EMAIL trying a local part at every letter.
 */
const EMAIL_SEPARATOR = /[@＠]|%40|\s(?:at|AT)\s|あっと|アット/u;

/** The patterns above, for the ReDoS check (every customer message goes through them). */
export const MASK_PATTERNS: Readonly<Record<string, RegExp>> = { EMAIL, EMAIL_SEPARATOR, DIGIT_RUN, GLUED, SEPARATORS, PIECE };

export function maskEmails(text: string): string {
  return EMAIL_SEPARATOR.test(text) ? text.replace(EMAIL, MASKED_EMAIL) : text;
}

/** Phone numbers (isPhoneNumber) anywhere in the text, not glued to letters or digits; a "tel:" in front stays. */
export function maskPhones(text: string): string {
  return text.replace(DIGIT_RUN, (run: string, tel: string | undefined, number: string, at: number) => {
    if (gluedBefore(text, at) || gluedAt(text, at + run.length)) return run;
    return `${tel ?? ''}${isPhoneNumber(number) ? MASKED_PHONE : maskWithin(number)}`;
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The account name as a whole word only ("info" must not mask "information"). */
export const accountPattern = (s: string) => new RegExp(`(?<![A-Za-z0-9._%+-])${escapeRegExp(s)}(?![A-Za-z0-9_-])`, 'gi');
const word = accountPattern;

/** Masks what the customer typed. `account`: the local part the bot learnt, masked wherever it appears. */
export function maskCustomerText(text: string, account?: string): string {
  let out = maskPhones(maskEmails(text));
  if (account && account.length >= 2) out = out.replace(word(account), MASKED_ACCOUNT);
  return out;
}

/**
 * Masks what the bot said: its own contact numbers stay readable, but the customer's account name
 * (in the settings values) and any address (e.g. in a configuration-profile link) are masked.
 */
export function maskBotText(text: string, account?: string): string {
  let out = maskEmails(text);
  if (account && account.length >= 2) {
    out = out.replace(word(encodeURIComponent(account)), MASKED_ACCOUNT);
    out = out.replace(word(account), MASKED_ACCOUNT);
  }
  return out;
}
