/** A port changed in one place (the environment → Config.mail) changes all three outputs. */
import { describe, expect, it } from 'vitest';
import plist from 'plist';
import { autodiscoverRequest, mailFrom, parseXml, serve } from './helpers.ts';

async function outputs(env: Record<string, string>) {
  const server = await serve({ mail: mailFrom(env) });
  try {
    const tb = parseXml(await (await fetch(`${server.base}/mail/config-v1.1.xml`)).text()).clientConfig.emailProvider;
    const ad = parseXml(
      await (await fetch(`${server.base}/autodiscover/autodiscover.xml`, { method: 'POST', body: autodiscoverRequest('taro@owari.ne.jp') })).text(),
    ).Autodiscover.Response.Account.Protocol;
    const ap = (plist.parse(await (await fetch(`${server.base}/mail.mobileconfig?email=taro%40owari.ne.jp`)).text()) as any).PayloadContent[0];
    return {
      thunderbird: { pop: [tb.incomingServer.port, tb.incomingServer.socketType], smtp: [tb.outgoingServer.port, tb.outgoingServer.socketType, tb.outgoingServer.hostname] },
      autodiscover: { pop: [ad[0].Port, ad[0].SSL], smtp: [ad[1].Port, ad[1].SSL, ad[1].Server] },
      apple: { pop: [ap.IncomingMailServerPortNumber, ap.IncomingMailServerUseSSL], smtp: [ap.OutgoingMailServerPortNumber, ap.OutgoingMailServerUseSSL, ap.OutgoingMailServerHostName] },
    };
  } finally {
    await server.close();
  }
}

describe('one settings source', () => {
  it('defaults: the notice everywhere', async () => {
    expect(await outputs({})).toEqual({
      thunderbird: { pop: ['110', 'plain'], smtp: ['587', 'plain', 'mail.owari.ne.jp'] },
      autodiscover: { pop: ['110', 'off'], smtp: ['587', 'off', 'mail.owari.ne.jp'] },
      apple: { pop: [110, false], smtp: [587, false, 'mail.owari.ne.jp'] },
    });
  });
  it('SMTP_PORT / POP_PORT / TLS / host changed in the environment → changed in all three', async () => {
    expect(await outputs({ SMTP_PORT: '465', SMTP_TLS: 'tls', POP_PORT: '995', POP_TLS: 'tls', SMTP_HOST: 'smtp.owari.ne.jp' })).toEqual({
      thunderbird: { pop: ['995', 'SSL'], smtp: ['465', 'SSL', 'smtp.owari.ne.jp'] },
      autodiscover: { pop: ['995', 'on'], smtp: ['465', 'on', 'smtp.owari.ne.jp'] },
      apple: { pop: [995, true], smtp: [465, true, 'smtp.owari.ne.jp'] },
    });
  });
  it('only the SMTP port changed', async () => {
    const o = await outputs({ SMTP_PORT: '2525' });
    expect([o.thunderbird.smtp[0], o.autodiscover.smtp[0], o.apple.smtp[0]]).toEqual(['2525', '2525', 2525]);
  });
});
