/** The two ways an evaluation item is played: through the pure turn function, or the real webhook of a server. */
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { startConversation, takeTurn, type TurnDeps } from '../../src/conversation/turn.ts';
import type { BotMessage, Lang } from '../../src/conversation/wire.ts';
import type { EvalData, Played, Player } from './dialogues.ts';

const data = loadDataOrThrow();

export function evalData(deps: TurnDeps): EvalData {
  return { resources: data.resources as EvalData['resources'], flow: deps.bundle.flow, catalogue: deps.bundle.catalogue, site: deps.site };
}

/** Button payloads are sent as they are; everything else as typed. */
export function purePlayer(deps: TurnDeps): Player {
  return {
    async play(lang, texts) {
      let record = startConversation(deps, lang, 'OW-EVAL-00').record;
      const turns: BotMessage[][] = [];
      const handoffs: boolean[] = [];
      for (const text of texts) {
        const result = takeTurn(deps, record, text);
        record = result.record;
        turns.push(result.replies);
        handoffs.push(Boolean(result.trace.handoff));
      }
      // Judged from what the customer is sent, as over the webhook: nothing the bot kept to itself counts.
      return { turns, handoffs };
    },
  };
}

/** Plays through POST /api/messages of a running server at `baseUrl` (protocol.md's webhook). */
export function webhookPlayer(baseUrl: string): Player {
  const post = async (body: unknown): Promise<any[]> => {
    const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = await res.json();
    if (res.status !== 200 || !Array.isArray(json)) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return {
    async play(lang: Lang, texts: string[]): Promise<Played> {
      const hello = await post({ type: 'hello', user: 'evaluation', lang, channel: 'evaluation' });
      const user = hello.find((m) => m.type === 'session')?.user;
      if (typeof user !== 'string') throw new Error('no session in the reply to hello');
      const turns: BotMessage[][] = [];
      for (const text of texts) {
        const replies = await post({ type: 'message', user, text, lang, channel: 'evaluation' });
        turns.push(replies.filter((m) => m.type === 'message'));
      }
      return { turns };
    },
  };
}
