/** The messages of docs/protocol.md (v1) that the bot sends. */
import type { OutcomeId } from '../flow/flow-data.ts';

export const languages = ['ja', 'en'] as const;
export type Lang = (typeof languages)[number];
export const isLang = (v: unknown): v is Lang => v === 'ja' || v === 'en';

export interface QuickReply {
  title: string;
  payload: string;
}

export interface Link {
  title: string;
  url: string;
}

export interface BotMessage {
  type: 'message';
  text: string;
  quick_replies?: QuickReply[];
  links?: Link[];
  state?: string;
  outcome?: OutcomeId;
}

export interface SessionMessage {
  type: 'session';
  user: string;
}

export const errorCodes = ['malformed', 'too_long', 'unsupported_type', 'rate_limited', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  text: string;
}

export type Outgoing = BotMessage | SessionMessage | ErrorMessage | { type: 'typing' };

/** Longest text a customer may send in one message (protocol.md: `too_long` beyond it). */
export const MAX_TEXT_LENGTH = 1000;
