/** Mail addresses typed at the address question. The address is only looked at, never kept. */
import type { Analysed } from './normalize.js';

// Bounded, and a local part only from the start of its run, so a long run of letters is read once (no ReDoS).
export const ADDRESS = /(?<![a-z0-9._%+-])([a-z0-9][a-z0-9._%+-]{0,63})?\s?[@＠]\s?((?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,63})/i;

export interface TypedAddress { local?: string; domain: string }

/** Words naming the address after them as a recipient (pasted: 「受信者“ken@example.jp”がサーバによって拒否」, 「拒否された電子メール アドレスは 'ken@example.jp'」). */
const RECIPIENT = /(?:受信者|宛先|あて先|送信先|拒否された電子メール ?アドレスは|拒否されたアドレスは|recipient|rcpt to|to|rejected e-?mail address (?:is|was))$/i;
/** What may stand between a recipient word and the address: spaces, a colon, an opening quote or bracket. */
const BETWEEN = new Set([...' \t:："“”\'‘’「『<(（']);

function namedAsRecipient(before: string): boolean {
  let end = before.length;
  while (end > 0 && BETWEEN.has(before[end - 1]!)) end--;
  return RECIPIENT.test(before.slice(0, end));
}

/** A denial right after an address: 「@owari.ne.jp じゃなかったです。@gmail.com でした」. */
const DENIED_AFTER = /^\s?(?:じゃ|では|でわ|ぢゃ)(?:な|あり)|^\s?(?:is not|isn't|was not|wasn't)\b/i;

/** A domain typed without @ (「owari-kogyo.co.jp（勤務先）です」), not a server's or a web site's host name. */
const BARE_DOMAIN = /(?<![@a-z0-9._-])((?:[a-z0-9-]{1,63}\.){1,4}(?:jp|com|net|org|info|biz))(?![a-z0-9.-])/i;
const HOST_LABEL = /^(?:www|mail|smtp|pop3?|imap|mx)\./;

/** The customer's own address in a message: the first one that is neither named as a recipient nor denied. */
export function findAddress(a: Analysed): TypedAddress | null {
  return typedAddress(a) ?? bareDomain(a);
}

/** `text` with every address and bare domain in it blanked ("owari" in an address is neither the line nor a name). */
export function withoutAddresses(text: string): string {
  let out = text;
  for (const re of [ADDRESS, BARE_DOMAIN]) {
    for (let guard = 0; guard < 20; guard++) {
      const m = re.exec(out);
      if (!m) break;
      out = out.slice(0, m.index) + ' '.repeat(m[0].length) + out.slice(m.index + m[0].length);
    }
  }
  return out;
}

/** The first match of `re` in `text` that `accept` takes (each match looked at once: linear in the text). */
function firstAccepted(text: string, re: RegExp, accept: (m: RegExpExecArray, at: number, end: number) => boolean): RegExpExecArray | null {
  for (let from = 0; from < text.length; ) {
    const m = re.exec(text.slice(from));
    if (!m) return null;
    const at = from + m.index;
    from = at + m[0].length;
    if (accept(m, at, from)) return m;
  }
  return null;
}

const deniedAt = (text: string, end: number): boolean => DENIED_AFTER.test(text.slice(end, end + 12));

function bareDomain(a: Analysed): TypedAddress | null {
  const m = firstAccepted(a.plain, BARE_DOMAIN, (d, _at, end) => !HOST_LABEL.test(d[1]!.toLowerCase()) && !deniedAt(a.plain, end));
  return m ? { domain: m[1]!.toLowerCase() } : null;
}

function typedAddress(a: Analysed): TypedAddress | null {
  const m = firstAccepted(a.plain, ADDRESS, (_m, at, end) => {
    // An address in angle brackets is an SMTP reply's envelope (「554 5.7.1 <info@example.jp>: Relay access denied」).
    const enveloped = a.plain[at - 1] === '<' && a.plain[end] === '>';
    return !enveloped && !namedAsRecipient(a.plain.slice(Math.max(0, at - 32), at)) && !deniedAt(a.plain, end);
  });
  return m ? { ...(m[1] ? { local: m[1] } : {}), domain: m[2]!.toLowerCase() } : null;
}

export function isOwariDomain(domain: string, owariDomains: readonly string[]): boolean {
  return owariDomains.some((d) => domain === d || domain.endsWith('.' + d));
}

/** A program word right after a mail service's name: 「Gmailのアプリ」 names a program, not the address in it. */
const PROGRAM_AFTER = /^ ?(?:の|って|という|っていう|ていう)? ?(?:めーる ?)?(?:あぷり|app|そふと)/;
export const programNamed = (a: Analysed, end: number): boolean => PROGRAM_AFTER.test(a.key.slice(end));
