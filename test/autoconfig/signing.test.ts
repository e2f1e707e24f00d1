import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plist from 'plist';
import { createProfileSigner, ProfileSigningError } from '../../src/autoconfig/signing.ts';
import { autoconfigRoutes } from '../../src/autoconfig/routes.ts';
import { mailFrom, serve, textsIn } from './helpers.ts';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'owari-sign-test-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('without openssl', () => {
  it('creating a signer fails at start-up with a clear message', () => {
    expect(() => createProfileSigner({ cert, key }, { openssl: join(dir, 'no-such-openssl') })).toThrowError(ProfileSigningError);
    expect(() => createProfileSigner({ cert, key }, { openssl: join(dir, 'no-such-openssl') })).toThrowError(/was not found.*unset both variables/);
  });
});

describe.skipIf(!hasOpenssl())('with openssl', () => {
  beforeAll(() => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=profile signing test'], { stdio: 'ignore' });
  });

  it('signs: CMS SignedData (DER) whose content is the profile, verifiable with the certificate', async () => {
    const signer = createProfileSigner({ cert, key });
    const data = Buffer.from('<plist>テスト</plist>\n');
    const signed = await signer.sign(data);
    expect(signed[0]).toBe(0x30); // DER SEQUENCE
    const input = join(dir, 'signed.der');
    const out = join(dir, 'verified');
    writeFileSync(input, signed);
    execFileSync('openssl', ['smime', '-verify', '-binary', '-inform', 'DER', '-in', input, '-CAfile', cert, '-out', out], { stdio: 'ignore' });
    expect(readFileSync(out)).toEqual(data);
  });

  it('accepts PEM text instead of paths, and a chain after the certificate', async () => {
    const pem = readFileSync(cert, 'utf8');
    const signer = createProfileSigner({ cert: pem + pem, key: readFileSync(key, 'utf8') });
    expect((await signer.sign(Buffer.from('x'))).length).toBeGreaterThan(100);
  });

  it.each([
    ['missing cert file', () => ({ cert: join(dir, 'nope.pem'), key })],
    ['no certificate in cert', () => ({ cert: key, key })],
    ['no key in key', () => ({ cert, key: cert })],
  ])('refuses at start-up: %s', (_n, signing) => {
    expect(() => createProfileSigner(signing())).toThrowError(ProfileSigningError);
  });

  it('refuses a key that does not belong to the certificate', () => {
    const otherKey = join(dir, 'other.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', otherKey], { stdio: 'ignore' });
    expect(() => createProfileSigner({ cert, key: otherKey })).toThrowError(/test signing failed/);
  });

  it('refuses a passphrase-protected key without prompting', () => {
    const encKey = join(dir, 'enc.pem');
    execFileSync('openssl', ['pkey', '-in', key, '-aes256', '-passout', 'pass:secret', '-out', encKey], { stdio: 'ignore' });
    expect(() => createProfileSigner({ cert, key: encKey })).toThrowError(ProfileSigningError);
  });

  it('the profile endpoint serves the signed profile', async () => {
    const server = await serve({ mail: mailFrom(), profileSigning: { cert, key } });
    try {
      const res = await fetch(`${server.base}/mail.mobileconfig?email=taro%40owari.ne.jp`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-apple-aspen-config');
      const signed = Buffer.from(await res.arrayBuffer());
      expect(signed[0]).toBe(0x30);
      const content = execFileSync('openssl', ['smime', '-verify', '-inform', 'DER', '-CAfile', cert], { input: signed, stdio: ['pipe', 'pipe', 'ignore'] });
      expect((plist.parse(content.toString('utf8')) as any).PayloadContent[0].EmailAddress).toBe('taro@owari.ne.jp');
    } finally {
      await server.close();
    }
  });

  it('the router refuses to start when signing is configured but openssl is unusable', () => {
    expect(() => autoconfigRoutes({ mail: mailFrom(), profileSigning: { cert: join(dir, 'nope.pem'), key }, texts: textsIn('ja') })).toThrowError(ProfileSigningError);
  });
});
