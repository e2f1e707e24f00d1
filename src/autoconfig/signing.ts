/**
 * Optional signing of Apple configuration profiles (PKCS#7 / CMS SignedData, DER, content attached).
 *
 * node:crypto cannot produce CMS SignedData, and no CMS library is a dependency, so signing runs the
 * `openssl smime -sign` command (OpenSSL 1.1 or 3.x). Its absence is detected once, when the signer is created
 * (i.e. at start-up), and reported as a clear error instead of failing customers' downloads later.
 *
 * PROFILE_SIGN_CERT / PROFILE_SIGN_KEY are paths to PEM files (or the PEM text itself). The certificate file may
 * hold the chain after the signing certificate: the extra certificates are included in the signature so the
 * device can build the chain. The key must not be passphrase-protected.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProfileSigner {
  /** Signs the profile; rejects if openssl fails (the caller answers 500). */
  sign(data: Buffer): Promise<Buffer>;
}

export class ProfileSigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileSigningError';
  }
}

// Base64 and line breaks between the markers, never a dash: a block is read once, however many markers a file has.
const PEM_CERT = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;
const SIGN_TIMEOUT_MS = 10_000;

function material(value: string, what: 'PROFILE_SIGN_CERT' | 'PROFILE_SIGN_KEY'): string {
  if (value.trimStart().startsWith('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (e) {
    throw new ProfileSigningError(`${what}: cannot read "${value}" (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/**
 * Checks that openssl exists and that the certificate and key sign successfully; throws ProfileSigningError
 * otherwise. `openssl` may name another binary (tests use a missing one).
 */
export function createProfileSigner(
  signing: { cert: string; key: string },
  options: { openssl?: string } = {},
): ProfileSigner {
  const openssl = options.openssl ?? 'openssl';
  try {
    execFileSync(openssl, ['version'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: SIGN_TIMEOUT_MS });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ProfileSigningError(
      code === 'ENOENT'
        ? `PROFILE_SIGN_CERT/PROFILE_SIGN_KEY are set, but the "${openssl}" command was not found. Install OpenSSL (e.g. apt-get install openssl) or unset both variables to serve unsigned profiles.`
        : `PROFILE_SIGN_CERT/PROFILE_SIGN_KEY are set, but "${openssl} version" failed: ${String(e)}`,
    );
  }

  const certPem = material(signing.cert, 'PROFILE_SIGN_CERT');
  const keyPem = material(signing.key, 'PROFILE_SIGN_KEY');
  const certs = certPem.match(PEM_CERT) ?? [];
  if (certs.length === 0) throw new ProfileSigningError('PROFILE_SIGN_CERT: no PEM certificate found');
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(keyPem) || /Proc-Type:\s*4,ENCRYPTED/.test(keyPem)) {
    throw new ProfileSigningError('PROFILE_SIGN_KEY: no unencrypted PEM private key found (passphrase-protected keys are not supported)');
  }

  // openssl reads files: keep a private copy (0700 directory, 0600 files), removed when the process exits.
  const dir = mkdtempSync(join(tmpdir(), 'owari-profile-sign-'));
  const signerPath = join(dir, 'signer.pem');
  const keyPath = join(dir, 'key.pem');
  const chainPath = join(dir, 'chain.pem');
  writeFileSync(signerPath, certs[0] + '\n', { mode: 0o600 });
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  const args = ['smime', '-sign', '-binary', '-nodetach', '-outform', 'DER', '-signer', signerPath, '-inkey', keyPath, '-passin', 'pass:'];
  if (certs.length > 1) {
    writeFileSync(chainPath, certs.slice(1).join('\n') + '\n', { mode: 0o600 });
    args.push('-certfile', chainPath);
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

  try {
    execFileSync(openssl, args, { input: Buffer.from('start-up check'), stdio: ['pipe', 'pipe', 'pipe'], timeout: SIGN_TIMEOUT_MS });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    throw new ProfileSigningError(
      `PROFILE_SIGN_CERT/PROFILE_SIGN_KEY: test signing failed (does the key belong to the certificate?)${stderr ? `: ${stderr}` : ''}`,
    );
  }

  return {
    sign(data: Buffer): Promise<Buffer> {
      return new Promise((resolve, reject) => {
        const child = spawn(openssl, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: SIGN_TIMEOUT_MS });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (c: Buffer) => out.push(c));
        child.stderr.on('data', (c: Buffer) => err.push(c));
        child.on('error', (e) => reject(new ProfileSigningError(`openssl: ${e.message}`)));
        child.on('close', (code) => {
          if (code === 0) resolve(Buffer.concat(out));
          else reject(new ProfileSigningError(`openssl exited with ${code}: ${Buffer.concat(err).toString().trim()}`));
        });
        child.stdin.on('error', () => undefined); // reported through 'close'
        child.stdin.end(data);
      });
    },
  };
}
