/**
 * HTTP endpoints for automatic mail configuration. Mount before the JSON body parser and the 404
 * handler: this router parses its own (bounded) bodies.
 *
 *   GET  /mail/config-v1.1.xml                          Thunderbird autoconfig (host autoconfig.<domain>)
 *   GET  /.well-known/autoconfig/mail/config-v1.1.xml   the same (host <domain>)
 *   POST /autodiscover/autodiscover.xml                 Outlook Autodiscover POX (any spelling: routing is case-insensitive)
 *   GET  /mail.mobileconfig?email=<address>             Apple configuration profile; without ?email= a form page
 */
import express from 'express';
import type { MailSettings } from '../config.ts';
import { parseCustomerAddress } from './address.ts';
import { APPLE_PROFILE_CONTENT_TYPE, appleProfile } from './apple-profile.ts';
import { AUTODISCOVER_CONTENT_TYPE, AUTODISCOVER_MAX_BODY_BYTES, autodiscoverError, autodiscoverResponse } from './autodiscover.ts';
import { profilePage } from './profile-page.ts';
import { createProfileSigner, type ProfileSigner } from './signing.ts';
import type { Texts } from './texts.ts';
import { THUNDERBIRD_CONTENT_TYPE, thunderbirdConfig } from './thunderbird.ts';

export interface AutoconfigDeps {
  mail: MailSettings;
  /** Public base URL of this service; not needed by the endpoints themselves (they answer on any host). */
  publicUrl?: string;
  /** PEM paths (or PEM text) for signing profiles; requires the openssl command (checked here, at start-up). */
  profileSigning?: { cert: string; key: string };
  /** The Japanese autoconfig sentences (profile names, the 400 explanation, the form page). */
  texts: Texts;
}

export const THUNDERBIRD_PATHS = ['/mail/config-v1.1.xml', '/.well-known/autoconfig/mail/config-v1.1.xml'];
export const AUTODISCOVER_PATHS = ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml'];
export const PROFILE_PATH = '/mail.mobileconfig';

export function autoconfigRoutes(deps: AutoconfigDeps): express.Router {
  const { mail, texts } = deps;
  const signer: ProfileSigner | undefined = deps.profileSigning ? createProfileSigner(deps.profileSigning) : undefined;
  const thunderbird = thunderbirdConfig(mail); // the settings do not change while the process runs

  const router = express.Router({ caseSensitive: false, strict: false });

  // Thunderbird: the same document for everyone (?emailaddress= is accepted and deliberately not used).
  router.get(THUNDERBIRD_PATHS, (_req, res) => {
    res.set({ 'Content-Type': THUNDERBIRD_CONTENT_TYPE, 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' });
    res.send(thunderbird);
  });

  // Outlook Autodiscover (POX).
  const autodiscoverBody = express.text({
    type: () => true,
    limit: AUTODISCOVER_MAX_BODY_BYTES,
    inflate: false,
    defaultCharset: 'utf-8',
  });
  router.post(AUTODISCOVER_PATHS, autodiscoverBody, (req, res) => {
    const body: unknown = req.body;
    const result = autodiscoverResponse(typeof body === 'string' ? body : '', mail);
    res.set({ 'Content-Type': AUTODISCOVER_CONTENT_TYPE, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    // Autodiscover reports its errors in the XML with HTTP 200, as Exchange does; the client then moves on.
    res.status(200).send(result.xml);
  });
  router.use(AUTODISCOVER_PATHS, (err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    const status = (err as { status?: unknown }).status;
    if (typeof status !== 'number' || status < 400 || status >= 500) return next(err);
    res.set({ 'Content-Type': AUTODISCOVER_CONTENT_TYPE, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.status(status).send(autodiscoverError(600, 'Invalid Request'));
  });

  // Apple configuration profile.
  router.get(PROFILE_PATH, async (req, res) => {
    const pageHeaders = {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    };
    if (!Object.hasOwn(req.query, 'email')) {
      res.set(pageHeaders).status(200).send(profilePage(texts, mail));
      return;
    }
    const address = parseCustomerAddress(req.query.email, mail.domain); // a repeated ?email= is not a string: refused
    if (!address.ok) {
      res.set(pageHeaders).status(400).send(profilePage(texts, mail, address.problem));
      return;
    }
    const vars = { displayName: mail.displayName, address: address.address, domain: mail.domain };
    const xml = appleProfile(address, mail, {
      profileName: texts.t('profile.name', vars),
      profileDescription: texts.t('profile.description', vars),
      accountDescription: texts.t('profile.account_description', vars),
    });
    let body: Buffer = Buffer.from(xml, 'utf8');
    if (signer) {
      try {
        body = await signer.sign(body);
      } catch {
        res.set(pageHeaders).status(503).send(profilePage(texts, mail, 'unavailable'));
        return;
      }
    }
    res.set({
      'Content-Type': APPLE_PROFILE_CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="${mail.domain}.mobileconfig"`,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    });
    res.status(200).send(body);
  });

  return router;
}
