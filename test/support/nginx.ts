/**
 * Debian's nginx for the reverse-proxy tests, run as an unprivileged master in a temporary directory
 * (`-p <dir> -c <conf>`, free ports), never the system's nginx service. openssl makes the test's certificate.
 *
 * Without nginx (or openssl) the suite is skipped with the install command — except on CI (CI=true), where a
 * missing component fails the run.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';

export const NGINX_PATH = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const OPENSSL = '/usr/bin/openssl';
export const INSTALL_HINT = `nginx not found at ${NGINX_PATH} (or openssl at ${OPENSSL}): install them with \`apt-get update && apt-get install -y nginx openssl\` (as root), or set NGINX_PATH.`;

export const hasNginx = (): boolean => existsSync(NGINX_PATH) && existsSync(OPENSSL);

/** `describe` that runs when nginx is present; otherwise skips with INSTALL_HINT, or fails on CI. */
export function describeWithNginx(name: string, fn: () => void): void {
  if (hasNginx()) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs nginx (CI=true: a missing component fails the suite)', () => {
        throw new Error(INSTALL_HINT);
      });
    });
  } else {
    console.warn(`[skip] ${name}: ${INSTALL_HINT}`);
    describe.skip(`${name} — skipped: ${INSTALL_HINT}`, fn);
  }
}

/** A self-signed certificate for 127.0.0.1 and localhost, valid for a day, in a directory of its own (readable by nginx). */
export function selfSignedCertificate(): { dir: string; cert: string; key: string; certPem: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'owari-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(OPENSSL, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  chmodSync(dir, 0o755);
  chmodSync(key, 0o644);
  return { dir, cert, key, certPem: readFileSync(cert) };
}

export interface RunningNginx {
  dir: string;
  stop(): Promise<void>;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Runs nginx with `site` (the body of an http block) in a fresh directory, until stop(). As root, nginx is started
 * as nobody, so the master is unprivileged either way.
 */
export async function startNginx(site: (dir: string) => string, waitForPort: number): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'owari-nginx-'));
  const asRoot = process.getuid?.() === 0;
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(join(dir, 'site.conf'), site(dir));
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  access_log ${dir}/access.log;
  include ${dir}/site.conf;
}
`,
  );
  if (asRoot) execFileSync('chmod', ['-R', 'a+rwX', dir]);
  chmodSync(dir, 0o777);
  const child: ChildProcess = spawn(NGINX_PATH, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => `${stderr}${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`;
  const deadline = Date.now() + 10_000;
  while (!(await portAnswers(waitForPort))) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${log()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not listen within 10 s:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    dir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
