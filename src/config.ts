/**
 * Every environment variable the service reads, validated once at start-up.
 * Nothing else in src/ reads process.env: parts receive the slice of Config they need.
 */
import { z } from 'zod';
import { parseClosedDates, parseHours, type OpeningHours } from './conversation/hours.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const csv = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean));

const httpUrl = z.url({ protocol: /^https?$/ });

/** TLS modes a mail client can be told to use; `none` is what the 2009 notice describes. */
export const tlsModes = ['none', 'starttls', 'tls'] as const;
export type TlsMode = (typeof tlsModes)[number];

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: httpUrl.optional(),

  MANUAL_BASE_URL: httpUrl.default('https://www.owari.ne.jp/support/mail/'),
  CONTACT_URL: httpUrl.default('https://www.owari.ne.jp/support/contact/'),
  CONTACT_PHONE: z.string().default('0120-000-000'),
  // Parsed below (conversation/hours.ts), with a message naming the bad part and an example.
  CONTACT_HOURS: z.string().default('09:00-18:00'),
  CONTACT_CLOSED_DATES: z.string().default(''),
  RENTAL_SERVER_URL: httpUrl.default('https://www.owari.ne.jp/support/rental/'),

  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_TTL: z.coerce.number().int().positive().default(30 * 24 * 3600),
  ALLOWED_ORIGINS: csv.default([]),
  RATE_LIMIT_MESSAGES: positiveInt.default(20),
  RATE_LIMIT_CONVERSATIONS: positiveInt.default(30),
  MAX_SOCKETS_PER_IP: positiveInt.default(20),
  MAX_CONNECTIONS: positiveInt.default(12_000),
  MAX_CONNECTIONS_PER_IP: positiveInt.default(50),
  TRUST_PROXY: bool.default(false),
  OWARI_NETWORKS: csv.default([]),

  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),

  STAFF_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  STAFF_USER: z.string().min(1).optional(),
  STAFF_PASSWORD: z.string().min(12, 'must be at least 12 characters (a passphrase of a few words is easiest to type)').optional(),
  HANDOFF_WEBHOOK_URL: httpUrl.optional(),
  HANDOFF_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be "whsec_" and a base64 key, e.g. whsec_$(openssl rand -base64 32)')
    .refine((s) => {
      const bytes = Buffer.from(s.slice('whsec_'.length), 'base64').length;
      return bytes >= 24 && bytes <= 64;
    }, 'the key after "whsec_" must be 24 to 64 bytes, e.g. whsec_$(openssl rand -base64 32)')
    .optional(),
  HANDOFF_WEBHOOK_AUTHORIZATION: z.string().regex(/^[\x21-\x7e][\x20-\x7e]*$/, 'must be one line of printable ASCII, e.g. "Bearer <token>"').optional(),
  HANDOFF_RETRY_MINUTES: z.coerce.number().positive().default(13),
  HANDOFF_RETRY_DELAYS: csv.pipe(z.array(z.coerce.number<string>().positive('each delay must be a positive number of seconds')).min(1)).default([1, 5, 30, 120, 600]),
  PORTAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  RETENTION_DAYS: positiveInt.default(90),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),

  MAIL_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i).default('owari.ne.jp'),
  MAIL_DISPLAY_NAME: z.string().default('インターネット尾張'),
  POP_HOST: z.string().min(1).default('mail.owari.ne.jp'),
  POP_PORT: port.default(110),
  POP_TLS: z.enum(tlsModes).default('none'),
  SMTP_HOST: z.string().min(1).default('mail.owari.ne.jp'),
  SMTP_PORT: port.default(587),
  SMTP_TLS: z.enum(tlsModes).default('none'),
  SMTP_AUTH: bool.default(true),
  PROFILE_SIGN_CERT: z.string().optional(),
  PROFILE_SIGN_KEY: z.string().optional(),
});

/** A good value for each variable without a default, shown when the given one is bad. */
const EXAMPLES: Partial<Record<keyof z.input<typeof schema>, string>> = {
  PUBLIC_URL: 'https://chat.owari.ne.jp',
  SESSION_SECRET: 'the output of `openssl rand -hex 32`',
  ALLOWED_ORIGINS: 'https://www.owari.ne.jp,https://portal.owari.ne.jp',
  OWARI_NETWORKS: '203.0.113.0/24,2001:db8::/32',
  REDIS_URL: 'redis://127.0.0.1:6379',
  STAFF_TOKEN: 'the output of `openssl rand -hex 24`',
  STAFF_USER: 'support',
  STAFF_PASSWORD: 'a passphrase of 12 characters or more',
  HANDOFF_WEBHOOK_URL: 'https://helpdesk.owari.ne.jp/hooks/chat',
  PROFILE_SIGN_CERT: '/etc/owari/profile-sign.crt',
  PROFILE_SIGN_KEY: '/etc/owari/profile-sign.key',
};

const SECRETS = new Set(['SESSION_SECRET', 'STAFF_TOKEN', 'STAFF_PASSWORD']);

/** Every variable's default, as it would be written in the environment. */
const DEFAULTS: Record<string, unknown> = schema.parse({});

const exampleOf = (key: string): string | undefined => {
  const fallback = DEFAULTS[key];
  if (Array.isArray(fallback)) return fallback.length > 0 ? fallback.join(',') : EXAMPLES[key as keyof typeof EXAMPLES];
  return fallback !== undefined ? String(fallback) : EXAMPLES[key as keyof typeof EXAMPLES];
};

/** One line per bad variable: its value as given, what is wrong, and a value that would do. */
function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const key = String(issue.path[0] ?? '');
  const given = env[key];
  const example = exampleOf(key);
  const what =
    issue.code === 'invalid_value' ? `must be one of ${issue.values.join(', ')}` : /received NaN|expected number/i.test(issue.message) ? 'not a number' : issue.message;
  // Secrets never reach the log: their length only.
  const shown = SECRETS.has(key) ? `${given?.length ?? 0} characters` : JSON.stringify(given);
  return `${key}: ${what} (given ${shown})${example !== undefined ? `; for example ${key}=${example}` : ''}`;
}

export interface MailServer {
  host: string;
  port: number;
  tls: TlsMode;
}

/** The one source of the ISP's mail settings: answers, manuals and auto-config all read this. */
export interface MailSettings {
  domain: string;
  displayName: string;
  incoming: MailServer & { protocol: 'pop3' };
  outgoing: MailServer & { protocol: 'smtp'; auth: boolean };
}

export interface ContactSettings {
  url: string;
  phone: string;
  /** Opening hours in Japan time as configured (CONTACT_HOURS), shown to customers. */
  hours: string;
  /** CONTACT_HOURS and CONTACT_CLOSED_DATES, parsed: when staff answer. */
  openingHours: OpeningHours;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  logLevel: string;
  publicUrl?: string;
  manualBaseUrl: string;
  contact: ContactSettings;
  rentalServerUrl: string;
  sessionSecret?: string;
  sessionTtlSeconds: number;
  allowedOrigins: string[];
  limits: { messagesPer10s: number; conversationsPerMinute: number; socketsPerIp: number };
  /** Open HTTP connections (websockets included): in all, and per peer address (not counted behind TRUST_PROXY). */
  connections: { max: number; perIp: number };
  trustProxy: boolean;
  owariNetworks: string[];
  redisUrl?: string;
  staff: { token?: string; user?: string; password?: string };
  handoffWebhookUrl?: string;
  /** Signing, Authorization header and retries of the handoff webhook's deliveries. */
  handoff: { secret?: string; authorization?: string; retryBudgetMs: number; retryDelaysMs: number[] };
  /** Key the helpdesk portal signs its customers' ids with; without it identities are ignored. */
  portalIdentitySecret?: string;
  retentionDays: number;
  /** Enables GET /metrics (Bearer). */
  metricsToken?: string;
  mail: MailSettings;
  profileSigning?: { cert: string; key: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws ConfigError listing every bad variable at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => describeIssue(i, defined)));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required when NODE_ENV=production (at least 32 random characters, e.g. `openssl rand -hex 32`)');
  }
  if ((e.STAFF_USER === undefined) !== (e.STAFF_PASSWORD === undefined)) {
    problems.push('STAFF_USER and STAFF_PASSWORD: set both or neither');
  }
  if (!e.TRUST_PROXY && e.MAX_CONNECTIONS_PER_IP < e.MAX_SOCKETS_PER_IP) {
    problems.push(`MAX_CONNECTIONS_PER_IP: must be at least MAX_SOCKETS_PER_IP (${e.MAX_SOCKETS_PER_IP}): every websocket is a connection too`);
  }
  if (e.HANDOFF_WEBHOOK_URL && !e.HANDOFF_WEBHOOK_SECRET) {
    problems.push('HANDOFF_WEBHOOK_SECRET: required with HANDOFF_WEBHOOK_URL (every delivery is signed); create one with: echo "whsec_$(openssl rand -base64 32)"');
  }
  if ((e.PROFILE_SIGN_CERT === undefined) !== (e.PROFILE_SIGN_KEY === undefined)) {
    problems.push('PROFILE_SIGN_CERT and PROFILE_SIGN_KEY: set both or neither');
  }
  for (const cidr of e.OWARI_NETWORKS) {
    if (!/^[0-9a-f:.]+\/\d{1,3}$/i.test(cidr)) problems.push(`OWARI_NETWORKS: "${cidr}" is not a CIDR block like 203.0.113.0/24`);
  }
  for (const origin of e.ALLOWED_ORIGINS) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) problems.push(`ALLOWED_ORIGINS: "${origin}" is not an origin like https://portal.example.jp`);
  }
  const hours = parseHours(e.CONTACT_HOURS);
  if ('problem' in hours) problems.push(`CONTACT_HOURS: ${hours.problem}`);
  const closedDates = parseClosedDates(e.CONTACT_CLOSED_DATES);
  if ('problem' in closedDates) problems.push(`CONTACT_CLOSED_DATES: ${closedDates.problem}`);
  if (problems.length > 0 || 'problem' in hours || 'problem' in closedDates) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    manualBaseUrl: e.MANUAL_BASE_URL,
    contact: { url: e.CONTACT_URL, phone: e.CONTACT_PHONE, hours: e.CONTACT_HOURS, openingHours: { ...hours.hours, closed: closedDates.closed } },
    rentalServerUrl: e.RENTAL_SERVER_URL,
    sessionSecret: e.SESSION_SECRET,
    sessionTtlSeconds: e.SESSION_TTL,
    allowedOrigins: e.ALLOWED_ORIGINS,
    limits: {
      messagesPer10s: e.RATE_LIMIT_MESSAGES,
      conversationsPerMinute: e.RATE_LIMIT_CONVERSATIONS,
      socketsPerIp: e.MAX_SOCKETS_PER_IP,
    },
    connections: { max: e.MAX_CONNECTIONS, perIp: e.MAX_CONNECTIONS_PER_IP },
    trustProxy: e.TRUST_PROXY,
    owariNetworks: e.OWARI_NETWORKS,
    redisUrl: e.REDIS_URL,
    staff: { token: e.STAFF_TOKEN, user: e.STAFF_USER, password: e.STAFF_PASSWORD },
    handoffWebhookUrl: e.HANDOFF_WEBHOOK_URL,
    handoff: {
      secret: e.HANDOFF_WEBHOOK_SECRET,
      authorization: e.HANDOFF_WEBHOOK_AUTHORIZATION,
      retryBudgetMs: Math.round(e.HANDOFF_RETRY_MINUTES * 60_000),
      retryDelaysMs: e.HANDOFF_RETRY_DELAYS.map((s) => Math.round(s * 1000)),
    },
    portalIdentitySecret: e.PORTAL_IDENTITY_SECRET,
    retentionDays: e.RETENTION_DAYS,
    metricsToken: e.METRICS_TOKEN,
    mail: {
      domain: e.MAIL_DOMAIN.toLowerCase(),
      displayName: e.MAIL_DISPLAY_NAME,
      incoming: { protocol: 'pop3', host: e.POP_HOST, port: e.POP_PORT, tls: e.POP_TLS },
      outgoing: { protocol: 'smtp', host: e.SMTP_HOST, port: e.SMTP_PORT, tls: e.SMTP_TLS, auth: e.SMTP_AUTH },
    },
    profileSigning:
      e.PROFILE_SIGN_CERT && e.PROFILE_SIGN_KEY ? { cert: e.PROFILE_SIGN_CERT, key: e.PROFILE_SIGN_KEY } : undefined,
  };
}
