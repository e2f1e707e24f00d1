/** Runs conversations through the pure turn function with the real flows/, locales/ and word lists. */
import { loadConfig } from '../../src/config.ts';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { createTranslate } from '../../src/conversation/i18n.ts';
import { startConversation, takeTurn, type ConversationRecord, type TurnDeps, type TurnResult } from '../../src/conversation/turn.ts';
import type { BotMessage, Lang } from '../../src/conversation/wire.ts';

const data = loadDataOrThrow();

const bundle = data.bundle;
const t = createTranslate(data.resources);
const lexicon = data.lexicon;

export function testDeps(env: Record<string, string> = {}, now = () => Date.parse('2026-11-27T03:00:00Z')): TurnDeps {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  return {
    bundle,
    lexicon,
    t,
    now,
    site: {
      mail: config.mail,
      contact: config.contact,
      rentalServerUrl: config.rentalServerUrl,
      manualBaseUrl: config.manualBaseUrl,
      publicBaseUrl: 'https://chat.owari.ne.jp',
    },
  };
}

export interface Conversation {
  record: ConversationRecord;
  turns: TurnResult[];
  /** The bot's last message. */
  last: BotMessage;
  say(text: string): Conversation;
}

export function converse(deps: TurnDeps = testDeps(), lang: Lang = 'ja'): Conversation {
  const started = startConversation(deps, lang, 'OW-TEST-00');
  const conversation: Conversation = {
    record: started.record,
    turns: [started],
    last: started.replies.at(-1)!,
    say(text) {
      const result = takeTurn(deps, conversation.record, text);
      conversation.record = result.record;
      conversation.turns.push(result);
      conversation.last = result.replies.at(-1)!;
      return conversation;
    },
  };
  return conversation;
}
