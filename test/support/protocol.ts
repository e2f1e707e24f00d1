/**
 * A strict validator of what the bot sends (docs/protocol.md, "Bot → client"). Stricter than the
 * contract on purpose: an unlisted field from our own server is reported, so a new field is a decision.
 */
const outcomes = ['no-change-needed', 'change-recommended', 'change-required-other-provider', 'change-required-owari'];
export const errorCodes = ['malformed', 'too_long', 'unsupported_type', 'rate_limited', 'unavailable', 'internal'] as const;
/** The shape of a server-issued id (sessions.ts): 128-bit nonce . 128-bit MAC, base64url. */
export const SESSION_ID = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

function onlyKeys(m: Record<string, unknown>, allowed: string[], where: string, problems: string[]) {
  for (const key of Object.keys(m)) if (!allowed.includes(key)) problems.push(`${where}: unexpected field "${key}"`);
}

/** Every way `message` breaks the contract; empty when it conforms. */
export function protocolProblems(message: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(message)) return ['not a JSON object'];
  const m = message;
  switch (m.type) {
    case 'session':
      onlyKeys(m, ['type', 'user'], 'session', problems);
      if (typeof m.user !== 'string' || !SESSION_ID.test(m.user)) problems.push(`session: user ${JSON.stringify(m.user)} is not a server-issued id`);
      break;
    case 'typing':
      onlyKeys(m, ['type'], 'typing', problems);
      break;
    case 'error':
      onlyKeys(m, ['type', 'code', 'text'], 'error', problems);
      if (!(errorCodes as readonly unknown[]).includes(m.code)) problems.push(`error: unknown code ${JSON.stringify(m.code)}`);
      if (!nonEmpty(m.text)) problems.push('error: text must explain the error');
      break;
    case 'message': {
      onlyKeys(m, ['type', 'text', 'quick_replies', 'links', 'state', 'outcome'], 'message', problems);
      if (!nonEmpty(m.text)) problems.push('message: text must be a non-empty string');
      if (m.quick_replies !== undefined) {
        if (!Array.isArray(m.quick_replies) || m.quick_replies.length === 0) problems.push('message: quick_replies must be a non-empty array');
        else
          for (const q of m.quick_replies) {
            if (!isObject(q) || !nonEmpty(q.title) || !nonEmpty(q.payload)) problems.push(`message: bad quick reply ${JSON.stringify(q)}`);
            else onlyKeys(q, ['title', 'payload'], 'quick reply', problems);
          }
      }
      if (m.links !== undefined) {
        if (!Array.isArray(m.links)) problems.push('message: links must be an array');
        else
          for (const l of m.links) {
            if (!isObject(l) || !nonEmpty(l.title) || typeof l.url !== 'string' || !/^https?:\/\/[^\s]+$/.test(l.url)) problems.push(`message: bad link ${JSON.stringify(l)}`);
            else onlyKeys(l, ['title', 'url'], 'link', problems);
          }
      }
      if (m.state !== undefined && !nonEmpty(m.state)) problems.push('message: state must be a step id');
      if (m.outcome !== undefined && !outcomes.includes(m.outcome as string)) problems.push(`message: unknown outcome ${JSON.stringify(m.outcome)}`);
      break;
    }
    default:
      problems.push(`unknown type ${JSON.stringify(m.type)}`);
  }
  return problems;
}

/** Throws with every problem when `message` does not conform. */
export function assertProtocol(message: unknown): void {
  const problems = protocolProblems(message);
  if (problems.length > 0) throw new Error(`protocol violation in ${JSON.stringify(message)?.slice(0, 300)}:\n  ${problems.join('\n  ')}`);
}

/** A websocket text frame from the bot: one JSON object that conforms. */
export function assertProtocolFrame(frame: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    throw new Error(`frame is not JSON: ${frame.slice(0, 200)}`);
  }
  assertProtocol(parsed);
  return parsed;
}

/** A webhook response body: a JSON array of conforming messages. */
export function assertProtocolReplies(body: unknown): void {
  if (!Array.isArray(body)) throw new Error(`webhook reply is not an array: ${JSON.stringify(body)?.slice(0, 200)}`);
  body.forEach(assertProtocol);
}

/** Japanese text has kana or kanji; the English texts have none. */
export const isJapanese = (text: string) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(text);
