/**
 * Validation of a customer's mail address for the configured domain, before it is used anywhere
 * (Autodiscover responses, Apple profiles). Pure: no I/O.
 *
 * Rule ("RFC-ish"): the address is NFKC-normalised (so full-width ｔａｒｏ＠owari.ne.jp typed with a
 * Japanese IME works) and trimmed; the local part is an RFC 5322 dot-atom (atext characters, dots
 * not first, last or doubled; no quoted strings, no comments), 1–64 characters; the whole address is
 * at most 254 characters; the domain, lowercased, must equal the configured mail domain exactly.
 * The local part keeps its case (it is the POP/SMTP login name).
 */

export const MAX_ADDRESS_LENGTH = 254;
export const MAX_LOCAL_PART_LENGTH = 64;

/** RFC 5322 dot-atom over atext. */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

export type AddressProblem = 'empty' | 'too_long' | 'syntax' | 'foreign_domain';

export type AddressResult =
  | { ok: true; address: string; localPart: string; domain: string }
  | { ok: false; problem: AddressProblem };

export function isValidLocalPart(localPart: string): boolean {
  return localPart.length >= 1 && localPart.length <= MAX_LOCAL_PART_LENGTH && LOCAL_PART.test(localPart);
}

/**
 * Checks `input` as an address at `domain`. Returns the normalised address
 * (`localPart@domain`, domain lowercased) or why it was refused.
 */
export function parseCustomerAddress(input: unknown, domain: string): AddressResult {
  if (typeof input !== 'string') return { ok: false, problem: 'empty' };
  // Bound the work before normalising: NFKC can expand a string, never by more than a small factor.
  if (input.length > MAX_ADDRESS_LENGTH * 4) return { ok: false, problem: 'too_long' };
  const text = input.normalize('NFKC').trim();
  if (text === '') return { ok: false, problem: 'empty' };
  if (text.length > MAX_ADDRESS_LENGTH) return { ok: false, problem: 'too_long' };
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return { ok: false, problem: 'syntax' };
  const localPart = text.slice(0, at);
  const addressDomain = text.slice(at + 1).toLowerCase();
  if (localPart.length > MAX_LOCAL_PART_LENGTH) return { ok: false, problem: 'too_long' };
  if (!LOCAL_PART.test(localPart)) return { ok: false, problem: 'syntax' };
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(addressDomain)) {
    return { ok: false, problem: 'syntax' };
  }
  if (addressDomain !== domain.toLowerCase()) return { ok: false, problem: 'foreign_domain' };
  return { ok: true, address: `${localPart}@${addressDomain}`, localPart, domain: addressDomain };
}
