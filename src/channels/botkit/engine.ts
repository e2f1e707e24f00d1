/**
 * The only module that knows Botkit (src/server.ts creates the engine and hands it to the gateway). Botkit's
 * upstream (Bot Framework SDK) is archived, so it is kept behind the small TurnEngine interface
 * (src/channels/turn-engine.ts) and could be replaced without touching anything else.
 *
 * Only the three event types we validated ever reach Botkit's dispatcher, and a handler's exception is caught
 * here, where Botkit would leave an unhandled rejection and a turn that never ends. Each part of Botkit or its web
 * adapter replaced here says in one line what it replaces and why.
 */
import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import { WebAdapter } from 'botbuilder-adapter-web';
import { ActivityTypes, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import { DialogContext, DialogTurnStatus, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Outgoing } from '../../conversation/wire.ts';
import type { EngineTurn, TurnEngine, TurnFailure, TurnHandler } from '../turn-engine.ts';

const TURN = 'owari.turn';
const REPLIES = 'owari.replies';
const EVENT_OF: Record<EngineTurn['kind'], string> = { start: 'hello', resume: 'welcome_back', message: 'message' };

/** The web adapter minus its socket server: replies go into the turn's own list, never to a socket found by user id. */
class TurnScopedWebAdapter extends WebAdapter {
  // Replaces init(), whose socket server trusts every frame's `user` and keeps a global user→socket map: ours is src/channels/websocket.ts.
  override init(): void {}

  // Replaces sendActivities(), which routes a reply to whichever socket its user id names: replies go into the turn's own list.
  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get(REPLIES) as Outgoing[];
    for (const activity of activities) replies.push(activity.channelData as Outgoing);
    return activities.map(() => ({ id: '' }));
  }

  // Replaces BotAdapter's runMiddleware(), which hands Botkit a revocable Proxy of the TurnContext that each of its reads goes through, guarding a context nothing keeps after the turn: CPU a turn (docs/benchmarks.md).
  protected override async runMiddleware(context: TurnContext, next: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.middleware.run(context, () => next(context));
  }

  async runTurn(activity: Partial<Activity>, turn: EngineTurn, logic: (context: TurnContext) => Promise<void>): Promise<Outgoing[]> {
    const context = new TurnContext(this, activity);
    const replies: Outgoing[] = [];
    context.turnState.set(TURN, turn);
    context.turnState.set(REPLIES, replies);
    await this.runMiddleware(context, logic);
    return replies;
  }
}

/** What every turn's empty DialogContext shares: DialogContext's methods, and a continueDialog that finds no dialog. */
const EMPTY_DIALOG_CONTEXT = Object.create(DialogContext.prototype, {
  continueDialog: { value: async (): Promise<DialogTurnResult> => ({ status: DialogTurnStatus.empty }) },
}) as DialogContext;

/** A DialogContext with no dialog on its stack, made without its constructor's state manager. */
function emptyDialogContext(context: TurnContext): DialogContext {
  const dc = Object.create(EMPTY_DIALOG_CONTEXT) as { context: TurnContext; stack: unknown[] };
  dc.context = context;
  dc.stack = [];
  return dc as unknown as DialogContext;
}

export function createBotkitEngine(handle: TurnHandler, onError: TurnFailure): TurnEngine {
  const adapter = new TurnScopedWebAdapter();
  // The dialog state is never loaded (below), so Botkit's storage is never read or written: its default will do.
  const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true });
  // Replaces DialogSet.createContext, which builds a DialogStateManager and loads, then hashes, dialog state every turn for dialogs we never run: the costliest part of Botkit's turn (docs/benchmarks.md).
  controller.dialogSet.createContext = async (context: TurnContext) => emptyDialogContext(context);

  const respond = async (_bot: BotWorker, message: BotkitMessage) => {
    const turn = message.context.turnState.get(TURN) as EngineTurn;
    let replies: Outgoing[];
    try {
      replies = await handle(turn);
    } catch (error) {
      replies = onError(error, turn);
    }
    // Replaces bot.reply per message (each re-formatted into a full Activity and run through send middleware we never register) with one sendActivities a turn: CPU a turn (docs/benchmarks.md).
    if (replies.length > 0) await message.context.sendActivities(replies.map((reply) => ({ type: reply.type, channelData: reply })));
  };
  controller.on(Object.values(EVENT_OF), respond);

  return {
    async run(turn) {
      const type = EVENT_OF[turn.kind];
      const activity: Partial<Activity> = {
        type: type === 'message' ? ActivityTypes.Message : ActivityTypes.Event,
        channelId: 'web',
        timestamp: new Date(),
        conversation: { id: turn.conversationId } as Activity['conversation'],
        from: { id: turn.conversationId, name: '' },
        recipient: { id: 'bot', name: 'bot' },
        text: turn.kind === 'message' ? turn.text : '',
        // Botkit dispatches on channelData.botkitEventType; it is set here from our own enum, never from client input.
        channelData: type === 'message' ? {} : { botkitEventType: type },
      };
      try {
        return await adapter.runTurn(activity, turn, (context) => controller.handleTurn(context));
      } catch (error) {
        return onError(error, turn);
      }
    },
    async shutdown() {
      await controller.shutdown();
    },
  };
}
