/**
 * Outlook Autodiscover (POX): parse the request, answer with POP3 + SMTP settings or an error.
 * Pure: no HTTP here (see routes.ts).
 *
 * Request  (requestschema/2006):  <Autodiscover><Request><EMailAddress/><AcceptableResponseSchema/></Request></Autodiscover>
 * Response (responseschema/2006 + outlook/responseschema/2006a): Account/Protocol elements, in the order of the
 * Protocol (POX) reference: Type, Server, Port, LoginName, DomainRequired, SPA, SSL, [Encryption], AuthRequired,
 * UsePOPAuth, SMTPLast.
 *
 * Unverified: `Encryption` (None | SSL | TLS | Auto) is not in Microsoft's Protocol (POX) element list; it appears
 * in Outlook examples. We emit it only when TLS is on, to tell STARTTLS (TLS) from implicit TLS (SSL); a client that
 * ignores it still sees SSL=on. With TLS off we emit SSL=off and no Encryption element.
 */
import { create } from 'xmlbuilder2';
import { XMLParser } from 'fast-xml-parser';
import type { MailSettings, TlsMode } from '../config.ts';
import { parseCustomerAddress, type AddressProblem } from './address.ts';

export const AUTODISCOVER_CONTENT_TYPE = 'text/xml; charset=utf-8';
export const AUTODISCOVER_RESPONSE_NS = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
export const OUTLOOK_RESPONSE_SCHEMA = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';
/** Largest request body accepted, in bytes (Outlook's requests are a few hundred bytes). */
export const AUTODISCOVER_MAX_BODY_BYTES = 16 * 1024;

export type AutodiscoverErrorCode = 500 | 600 | 601;

export type AutodiscoverRequest =
  | { ok: true; emailAddress: string; acceptableResponseSchema?: string }
  | { ok: false; code: 600 };

/** TlsMode → SSL on/off and (unverified) Encryption. */
export function autodiscoverTls(tls: TlsMode): { ssl: 'on' | 'off'; encryption?: 'TLS' | 'SSL' } {
  switch (tls) {
    case 'none':
      return { ssl: 'off' };
    case 'starttls':
      return { ssl: 'on', encryption: 'TLS' };
    case 'tls':
      return { ssl: 'on', encryption: 'SSL' };
  }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // No entity expansion of any kind (DTD-declared, HTML or otherwise). DTDs are refused before parsing anyway.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: true,
});

/**
 * Parses an Autodiscover request. Any DOCTYPE / ENTITY declaration is refused outright, so neither external
 * entities nor entity expansion (XXE, "billion laughs") can reach the parser.
 */
export function parseAutodiscoverRequest(body: string): AutodiscoverRequest {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return { ok: false, code: 600 };
  let doc: unknown;
  try {
    doc = parser.parse(body, true);
  } catch {
    return { ok: false, code: 600 };
  }
  const request = field(field(doc, 'Autodiscover'), 'Request');
  const email = field(request, 'EMailAddress');
  const schema = field(request, 'AcceptableResponseSchema');
  if (typeof email !== 'string' || email === '') return { ok: false, code: 600 };
  return { ok: true, emailAddress: email, acceptableResponseSchema: typeof schema === 'string' ? schema : undefined };
}

function field(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const child = (value as Record<string, unknown>)[name];
  return Array.isArray(child) ? undefined : child; // a repeated element is a malformed request
}

export type AutodiscoverResult =
  | { ok: true; xml: string; loginName: string }
  | { ok: false; xml: string; code: AutodiscoverErrorCode; reason: string };

/** The whole exchange: request body in, response XML out (settings, or an Autodiscover error). */
export function autodiscoverResponse(body: string, mail: MailSettings, now: Date = new Date()): AutodiscoverResult {
  const request = parseAutodiscoverRequest(body);
  if (!request.ok) return error(600, 'Invalid Request', 'malformed request', now);
  if (request.acceptableResponseSchema !== undefined && request.acceptableResponseSchema !== OUTLOOK_RESPONSE_SCHEMA) {
    return error(601, 'Provider is not available', 'unsupported AcceptableResponseSchema', now);
  }
  const address = parseCustomerAddress(request.emailAddress, mail.domain);
  if (!address.ok) return error(500, 'The e-mail address cannot be found.', addressReason(address.problem), now);
  return { ok: true, xml: autodiscoverSettings(address.localPart, mail), loginName: address.localPart };
}

function addressReason(problem: AddressProblem): string {
  return problem === 'foreign_domain' ? 'address is not in the served domain' : `invalid address (${problem})`;
}

/** Settings response for a validated local part. */
export function autodiscoverSettings(localPart: string, mail: MailSettings): string {
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  const account = doc
    .ele(AUTODISCOVER_RESPONSE_NS, 'Autodiscover')
    .ele(OUTLOOK_RESPONSE_SCHEMA, 'Response')
    .ele('Account');
  account.ele('AccountType').txt('email');
  account.ele('Action').txt('settings');

  const pop = account.ele('Protocol');
  pop.ele('Type').txt('POP3');
  pop.ele('Server').txt(mail.incoming.host);
  pop.ele('Port').txt(String(mail.incoming.port));
  pop.ele('LoginName').txt(localPart);
  pop.ele('DomainRequired').txt('off');
  pop.ele('SPA').txt('off');
  const popTls = autodiscoverTls(mail.incoming.tls);
  pop.ele('SSL').txt(popTls.ssl);
  if (popTls.encryption) pop.ele('Encryption').txt(popTls.encryption);
  pop.ele('AuthRequired').txt('on');

  const smtp = account.ele('Protocol');
  smtp.ele('Type').txt('SMTP');
  smtp.ele('Server').txt(mail.outgoing.host);
  smtp.ele('Port').txt(String(mail.outgoing.port));
  if (mail.outgoing.auth) smtp.ele('LoginName').txt(localPart);
  smtp.ele('DomainRequired').txt('off');
  smtp.ele('SPA').txt('off');
  const smtpTls = autodiscoverTls(mail.outgoing.tls);
  smtp.ele('SSL').txt(smtpTls.ssl);
  if (smtpTls.encryption) smtp.ele('Encryption').txt(smtpTls.encryption);
  smtp.ele('AuthRequired').txt(mail.outgoing.auth ? 'on' : 'off');
  if (mail.outgoing.auth) smtp.ele('UsePOPAuth').txt('on');
  smtp.ele('SMTPLast').txt('off');

  return doc.end({ prettyPrint: true }) + '\n';
}

/** Autodiscover error response (codes from [MS-OXDSCLI] 2.2.4.1.1.3.1). Never echoes request content. */
export function autodiscoverError(code: AutodiscoverErrorCode, message: string, now: Date = new Date()): string {
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  const err = doc
    .ele(AUTODISCOVER_RESPONSE_NS, 'Autodiscover')
    .ele('Response')
    .ele('Error', { Time: now.toISOString().slice(11, 23), Id: '0' });
  err.ele('ErrorCode').txt(String(code));
  err.ele('Message').txt(message);
  err.ele('DebugData');
  return doc.end({ prettyPrint: true }) + '\n';
}

function error(code: AutodiscoverErrorCode, message: string, reason: string, now: Date): AutodiscoverResult {
  return { ok: false, code, reason, xml: autodiscoverError(code, message, now) };
}
