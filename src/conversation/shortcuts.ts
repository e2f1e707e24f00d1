/**
 * The automatic-setup shortcut the bot offers at the settings step, per mail client.
 * Pure: no I/O, no express. Texts: locales/<lang>/autoconfig.json (i18next namespace `autoconfig`).
 *
 * - thunderbird            → Thunderbird finds the settings itself (autoconfig); address + password are enough.
 * - iphone_mail, apple_mail → a configuration-profile link for the customer's address when the account is known,
 *                             otherwise a link to the profile page, which asks for the address.
 * - outlook, new_outlook   → Outlook looks the settings up itself (Autodiscover).
 * - any other product      → undefined (the manual alone).
 * Every sentence ends by pointing at the manual, which the caller shows next (the fallback).
 *
 * Rendering note: `vars.url` must reach the customer unescaped (i18next `escapeValue: false` for plain text, or
 * escaping done by the channel); with i18next's default HTML escaping "/" would become "&#x2F;".
 */
import type { MailSettings } from '../config.ts';

export interface AutoconfigShortcut {
  sentenceKey: string;
  vars: Record<string, string>;
  link?: { titleKey: string; url: string };
}

export interface AutoconfigShortcutInput {
  /** A product id from flows/clients.json "products". */
  product: string;
  /** The customer's account (the part before @), or their whole address; ignored unless valid for mail.domain. */
  account?: string;
  mail: MailSettings;
  /** The bot's public base URL, e.g. https://support.owari.ne.jp (a trailing slash is ignored). */
  publicBaseUrl: string;
}

export const PROFILE_PATH = '/mail.mobileconfig';

/** RFC 5322 dot-atom, 1–64 characters: the same rule as src/autoconfig/address.ts (a test keeps them equal). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** The customer's full address at mail.domain, or undefined when `account` is missing or not usable. */
export function customerAddress(account: string | undefined, domain: string): string | undefined {
  if (account === undefined) return undefined;
  const text = account.normalize('NFKC').trim();
  const at = text.lastIndexOf('@');
  const localPart = at === -1 ? text : text.slice(0, at);
  if (at !== -1 && text.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return undefined;
  if (localPart.length < 1 || localPart.length > 64 || !LOCAL_PART.test(localPart)) return undefined;
  return `${localPart}@${domain.toLowerCase()}`;
}

/** encodeURIComponent, also encoding !'()* so the URL is safe wherever it is pasted. */
function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `${base}/mail.mobileconfig`, with `?email=<address>` when the address is known. */
export function profileUrl(publicBaseUrl: string, address?: string): string {
  const base = `${publicBaseUrl.replace(/(?<!\/)\/+$/, '')}${PROFILE_PATH}`;
  return address === undefined ? base : `${base}?email=${encodeStrict(address)}`;
}

export function autoconfigShortcut(input: AutoconfigShortcutInput): AutoconfigShortcut | undefined {
  const { mail } = input;
  const vars: Record<string, string> = { domain: mail.domain, displayName: mail.displayName };
  switch (input.product) {
    case 'thunderbird':
      return { sentenceKey: 'autoconfig:shortcut.thunderbird', vars };
    case 'outlook':
      return { sentenceKey: 'autoconfig:shortcut.outlook', vars };
    case 'new_outlook':
      return { sentenceKey: 'autoconfig:shortcut.new_outlook', vars };
    case 'iphone_mail':
    case 'apple_mail': {
      const address = customerAddress(input.account, mail.domain);
      const url = profileUrl(input.publicBaseUrl, address);
      if (address === undefined) {
        return {
          sentenceKey: 'autoconfig:shortcut.apple_profile_form',
          vars: { ...vars, url },
          link: { titleKey: 'autoconfig:link.apple_profile_form', url },
        };
      }
      return {
        sentenceKey: 'autoconfig:shortcut.apple_profile',
        vars: { ...vars, url, address },
        link: { titleKey: 'autoconfig:link.apple_profile', url },
      };
    }
    default:
      return undefined;
  }
}
