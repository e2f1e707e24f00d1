/** Shared test helpers: settings from the real config loader, golden files, a bare express server. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { XMLParser } from 'fast-xml-parser';
import { loadConfig, type MailSettings } from '../../src/config.ts';
import { autoconfigRoutes, type AutoconfigDeps } from '../../src/autoconfig/routes.ts';
import { autoconfigTexts, type Lang, type Texts } from '../../src/autoconfig/texts.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';

const { resources } = loadDataOrThrow();

/** The autoconfig sentences of `lang`, as the server loads them. */
export const textsIn = (lang: Lang): Texts => autoconfigTexts(resources, lang);

/** Mail settings exactly as the service would read them from this environment. */
export function mailFrom(env: Record<string, string> = {}): MailSettings {
  return loadConfig({ NODE_ENV: 'test', ...env }).mail;
}

export const TLS_ENV = { POP_PORT: '995', POP_TLS: 'tls', SMTP_PORT: '465', SMTP_TLS: 'tls' };
export const STARTTLS_ENV = { SMTP_TLS: 'starttls', POP_TLS: 'starttls' };

const fixtures = new URL('../fixtures/autoconfig/', import.meta.url);

/** Compares with test/fixtures/autoconfig/<name>; UPDATE_GOLDEN=1 rewrites the file. */
export function golden(name: string, actual: string): { actual: string; expected: string } {
  const file = new URL(name, fixtures);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  if (!existsSync(file)) throw new Error(`missing golden file ${name}: run with UPDATE_GOLDEN=1`);
  return { actual, expected: readFileSync(file, 'utf8') };
}

/** A strict-ish real XML parser for checking outputs: attributes kept, no entity processing. */
export function parseXml(xml: string): any {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, processEntities: false });
  return parser.parse(xml, true);
}

/** Mounts the router (with the Japanese texts, as the server does) on a bare express app on port 0; returns its base URL and a closer. */
export async function serve(deps: Omit<AutoconfigDeps, 'texts'>): Promise<{ base: string; close: () => Promise<void> }> {
  const app = express();
  app.use(autoconfigRoutes({ ...deps, texts: textsIn('ja') }));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

export function autodiscoverRequest(address: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>${address}</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;
}
