/**
 * Apple configuration profile (.mobileconfig) with one com.apple.mail.managed payload, for iPhone, iPad and Mac.
 * Pure: the address must already be validated (address.ts); UUIDs come from the `uuid` argument so tests can
 * pin them. Keys: apple/device-management mdm/profiles/com.apple.mail.managed.yaml.
 *
 * PayloadIdentifier is stable per address (reverse-DNS of the mail domain + a hash of the address), so
 * installing the profile again replaces the earlier one instead of adding a second account, while two family
 * members' profiles on one device do not replace each other. PayloadUUIDs are fresh on every download.
 *
 * Unverified: Apple has no STARTTLS key; UseSSL=true on a STARTTLS port (587/110) is assumed to make the device
 * use STARTTLS. The password is never in the profile: the device asks for it while installing.
 */
import { createHash, randomUUID } from 'node:crypto';
import plist from 'plist';
import type { MailSettings, TlsMode } from '../config.ts';

export const APPLE_PROFILE_CONTENT_TYPE = 'application/x-apple-aspen-config';

export interface ProfileTexts {
  /** Shown as the profile's name in Settings. */
  profileName: string;
  /** Shown on the install screen. */
  profileDescription: string;
  /** The account's name in the Mail app. */
  accountDescription: string;
}

export interface ProfileAddress {
  address: string;
  localPart: string;
}

/** TlsMode → Apple's UseSSL. */
export function appleUseSsl(tls: TlsMode): boolean {
  return tls !== 'none';
}

/** "owari.ne.jp" → "jp.ne.owari". */
export function reverseDomain(domain: string): string {
  return domain.toLowerCase().split('.').reverse().join('.');
}

export function profileIdentifier(address: string, domain: string): string {
  const digest = createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 16);
  return `${reverseDomain(domain)}.mail-profile.${digest}`;
}

export function appleProfile(
  who: ProfileAddress,
  mail: MailSettings,
  texts: ProfileTexts,
  uuid: () => string = () => randomUUID().toUpperCase(),
): string {
  const identifier = profileIdentifier(who.address, mail.domain);
  const mailPayload: Record<string, string | number | boolean> = {
    PayloadType: 'com.apple.mail.managed',
    PayloadVersion: 1,
    PayloadIdentifier: `${identifier}.account`,
    PayloadUUID: uuid(),
    PayloadDisplayName: texts.accountDescription,
    EmailAccountType: 'EmailTypePOP',
    EmailAccountDescription: texts.accountDescription,
    EmailAddress: who.address,
    IncomingMailServerHostName: mail.incoming.host,
    IncomingMailServerPortNumber: mail.incoming.port,
    IncomingMailServerUseSSL: appleUseSsl(mail.incoming.tls),
    IncomingMailServerAuthentication: 'EmailAuthPassword',
    IncomingMailServerUsername: who.localPart,
    OutgoingMailServerHostName: mail.outgoing.host,
    OutgoingMailServerPortNumber: mail.outgoing.port,
    OutgoingMailServerUseSSL: appleUseSsl(mail.outgoing.tls),
    OutgoingMailServerAuthentication: mail.outgoing.auth ? 'EmailAuthPassword' : 'EmailAuthNone',
  };
  if (mail.outgoing.auth) {
    mailPayload.OutgoingMailServerUsername = who.localPart;
    mailPayload.OutgoingPasswordSameAsIncomingPassword = true;
  }
  const profile = {
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: identifier,
    PayloadUUID: uuid(),
    PayloadDisplayName: texts.profileName,
    PayloadDescription: texts.profileDescription,
    PayloadOrganization: mail.displayName,
    PayloadRemovalDisallowed: false,
    PayloadContent: [mailPayload],
  };
  return plist.build(profile) + '\n';
}
