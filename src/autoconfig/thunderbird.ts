/**
 * Thunderbird autoconfig: a clientConfig v1.1 document built from the one settings source.
 * Pure: the same document for every customer; the address is filled in by Thunderbird itself
 * through %EMAILLOCALPART% (the notice: account = the part of the address before @).
 * Format: Mozilla wiki "Thunderbird:Autoconfiguration:ConfigFileFormat".
 */
import { create } from 'xmlbuilder2';
import type { MailSettings, TlsMode } from '../config.ts';

export const THUNDERBIRD_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** TlsMode → clientConfig socketType. */
export function thunderbirdSocketType(tls: TlsMode): 'plain' | 'STARTTLS' | 'SSL' {
  switch (tls) {
    case 'none':
      return 'plain';
    case 'starttls':
      return 'STARTTLS';
    case 'tls':
      return 'SSL';
  }
}

export function thunderbirdConfig(mail: MailSettings): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const provider = doc.ele('clientConfig', { version: '1.1' }).ele('emailProvider', { id: mail.domain });
  provider.ele('domain').txt(mail.domain);
  provider.ele('displayName').txt(mail.displayName);

  const incoming = provider.ele('incomingServer', { type: 'pop3' });
  incoming.ele('hostname').txt(mail.incoming.host);
  incoming.ele('port').txt(String(mail.incoming.port));
  incoming.ele('socketType').txt(thunderbirdSocketType(mail.incoming.tls));
  incoming.ele('username').txt('%EMAILLOCALPART%');
  incoming.ele('authentication').txt('password-cleartext');

  const outgoing = provider.ele('outgoingServer', { type: 'smtp' });
  outgoing.ele('hostname').txt(mail.outgoing.host);
  outgoing.ele('port').txt(String(mail.outgoing.port));
  outgoing.ele('socketType').txt(thunderbirdSocketType(mail.outgoing.tls));
  if (mail.outgoing.auth) {
    outgoing.ele('username').txt('%EMAILLOCALPART%');
    outgoing.ele('authentication').txt('password-cleartext');
  } else {
    outgoing.ele('authentication').txt('none');
  }

  return doc.end({ prettyPrint: true }) + '\n';
}
