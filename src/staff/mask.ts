/**
 * Personal data is masked before anything is stored for staff: mail addresses (customers type theirs at
 * question 3; the address itself must never be stored), the account name the bot learnt from it, and
 * phone-number-like digit runs. Error numbers (0x800CCC0E, 10060) and SMTP codes (535 5.7.8) stay readable.
 */
export const MASKED_EMAIL = '[メールアドレス]';
export const MASKED_PHONE = '[電話番号]';
export const MASKED_ACCOUNT = '[アカウント名]';

/** Local parts as people really write them (RFC 5322 also allows / = ? &, which would swallow URLs). */
const LOCAL = "[A-Za-z0-9Ａ-Ｚａ-ｚ０-９._+\\-－＿．]+";
const LABEL = '[A-Za-z0-9Ａ-Ｚａ-ｚ０-９\\-－]+';
/** At least one dot, ending in a label that starts with a letter (so "at 9.30" is not an address). */
const DOMAIN = `${LABEL}(?:[.．。]${LABEL})*[.．。][A-Za-zＡ-Ｚａ-ｚ]${LABEL.replace('+', '*')}`;
/** name@domain, also ＠, URL-encoded %40 and spelled-out " at " / あっと between the parts. */
const EMAIL = new RegExp(`${LOCAL}\\s*(?:@|＠|%40|\\s(?:at|AT)\\s|\\s*あっと\\s*|\\s*アット\\s*)\\s*${DOMAIN}`, 'gu');

const DIGIT = '[0-9０-９]';
const SEP = '[-‐‑–—－―ー−\\s()（）]';
/** A run of digits with the separators people put in phone numbers, not glued to letters (0x800CCC0E). */
const DIGIT_RUN = new RegExp(`(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ])[+＋]?${DIGIT}(?:${DIGIT}|${SEP}{1,2}(?=[0-9０-９(（]))*(?![0-9０-９A-Za-zＡ-Ｚａ-ｚ])`, 'gu');

const digitCount = (s: string) => (s.match(/[0-9０-９]/g) ?? []).length;

/**
 * The separators EMAIL requires: text without any of them holds no address. Most texts (every bot reply without
 * one, "はい") are answered by this scan alone, instead of EMAIL trying a local part at every letter.
 */
const EMAIL_SEPARATOR = /[@＠]|%40|\s(?:at|AT)\s|あっと|アット/u;

export function maskEmails(text: string): string {
  return EMAIL_SEPARATOR.test(text) ? text.replace(EMAIL, MASKED_EMAIL) : text;
}

/** Japanese phone numbers have 10 (landline with area code, 0120) or 11 (mobile, 050) digits; +81 ones more. */
export function maskPhones(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const trimmed = run.replace(/[\s(（-]+$/u, '');
    const rest = run.slice(trimmed.length);
    return digitCount(trimmed) >= 10 ? `${MASKED_PHONE}${rest}` : run;
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The account name as a whole word only ("info" must not mask "information"). */
const word = (s: string) => new RegExp(`(?<![A-Za-z0-9._%+-])${escapeRegExp(s)}(?![A-Za-z0-9_-])`, 'gi');

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
