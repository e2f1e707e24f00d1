/**
 * A local webhook receiver for the handoff tests: records every attempt (headers, raw body, when it came and
 * when it was answered). `respond(n)` decides the n-th attempt's fate: a status code, or 'hang'. It can be
 * started on a port chosen beforehand and stopped and started again, to play a receiver that is down.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { freePort } from './free-port.ts';

export interface Attempt {
  headers: Record<string, string>;
  body: string;
  startedAt: number;
  answeredAt: number;
  status: number | 'hang';
}

export type Fate = number | 'hang' | { status: number; delayMs: number };

export class WebhookReceiver {
  readonly attempts: Attempt[] = [];
  private server?: Server;
  private hanging: IncomingMessage[] = [];
  respond: (attempt: number, headers: Record<string, string>) => Fate;

  private constructor(
    readonly port: number,
    respond: (attempt: number) => Fate,
  ) {
    this.respond = respond;
  }

  /** A receiver on a free port, listening unless `listening` is false (down until start()). */
  static async create(respond: (attempt: number) => Fate = () => 204, options: { listening?: boolean } = {}): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(await freePort(), respond);
    if (options.listening !== false) await receiver.start();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Attempts answered with a 2xx. */
  get delivered(): Attempt[] {
    return this.attempts.filter((a) => typeof a.status === 'number' && a.status < 300);
  }

  /** The JSON bodies delivered. */
  get bodies(): any[] {
    return this.delivered.map((a) => JSON.parse(a.body));
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      const startedAt = Date.now();
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const attempt: Attempt = { headers, body: Buffer.concat(chunks).toString('utf8'), startedAt, answeredAt: NaN, status: 'hang' };
        const fate = this.respond(this.attempts.length + 1, headers);
        this.attempts.push(attempt);
        if (fate === 'hang') {
          this.hanging.push(req);
          return;
        }
        const { status, delayMs } = typeof fate === 'number' ? { status: fate, delayMs: 0 } : fate;
        setTimeout(() => {
          attempt.status = status;
          attempt.answeredAt = Date.now();
          res.writeHead(status).end();
        }, delayMs);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    if ((server.address() as AddressInfo).port !== this.port) throw new Error('receiver listened on another port');
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
}

/** Throws unless the attempt carries a valid Standard Webhooks signature of its body under `secret`; returns the body. */
export function verified(secret: string, attempt: Attempt): any {
  return new Webhook(secret).verify(attempt.body, attempt.headers);
}

/** A fresh Standard Webhooks secret. */
export const newSecret = (): string => `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
