/**
 * The only module that knows Botkit (src/server.ts creates the engine and hands it to the gateway). Botkit's
 * upstream (Bot Framework SDK) is archived, so it is kept behind the small TurnEngine interface
 * (src/channels/turn-engine.ts) and could be replaced without touching anything else.
 *
 * Holes in botbuilder-adapter-web closed here: its socket server (which trusts every frame's `user`,
 * keeps a module-global user→socket map and a never-cleared timer) is never started; replies are
 * collected per turn instead of being routed by user id; only the three event types we validated ever
 * reach Botkit's dispatcher; a handler's exception is caught here, where Botkit would leave an
 * unhandled rejection and a turn that never ends.
 */
import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import { WebAdapter } from 'botbuilder-adapter-web';
import { ActivityTypes, TurnContext, type Activity, type ResourceResponse, type Storage, type StoreItems } from 'botbuilder';
import { DialogContext, DialogTurnStatus, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Outgoing } from '../../conversation/wire.ts';
import type { EngineTurn, TurnEngine, TurnFailure, TurnHandler } from '../turn-engine.ts';

const TURN = 'owari.turn';
const REPLIES = 'owari.replies';
const EVENT_OF: Record<EngineTurn['kind'], string> = { start: 'hello', resume: 'welcome_back', message: 'message' };

/** The web adapter minus its socket server: replies go into the turn's own list, never to a socket found by user id. */
class TurnScopedWebAdapter extends WebAdapter {
  override init(): void {
    // The stock init() starts a socket server on Botkit's webserver; ours is src/channels/websocket.ts.
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const replies = context.turnState.get(REPLIES) as Outgoing[];
    for (const activity of activities) replies.push(activity.channelData as Outgoing);
    return activities.map(() => ({ id: '' }));
  }

  /**
   * BotAdapter's own runMiddleware hands the turn a revocable Proxy of the TurnContext, so that nothing can use
   * it once the turn is over; every property Botkit then reads goes through the proxy. Here nothing outlives the
   * turn that could: replies go into the turn's own list, which no one reads afterwards. The adapter's middleware
   * (none is registered) still runs, and an error still reaches the caller (no onTurnError is set).
   */
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

/**
 * Botkit saves dialog state on every turn. We use no Botkit dialogs (the flow lives in XState and our
 * own store), so its storage holds nothing worth a read and a write per turn.
 */
class NoDialogStateStorage implements Storage {
  async read(): Promise<StoreItems> {
    return {};
  }
  async write(): Promise<void> {}
  async delete(): Promise<void> {}
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
  const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true, storage: new NoDialogStateStorage() });
  // Per turn Botkit builds a DialogContext (a DialogStateManager whose memory scopes come from a service
  // collection), reads dialog state and hashes it back at the end: the costliest part of a turn, for dialogs
  // we never run. Each turn gets a DialogContext with an empty stack instead; since the dialog state is then
  // never loaded, Botkit's end-of-turn saveChanges finds nothing to write. Everything else — BotWorker,
  // middleware, triggers, the handler, replies through the TurnContext and the adapter — is Botkit's own.
  controller.dialogSet.createContext = async (context: TurnContext) => emptyDialogContext(context);

  const respond = async (_bot: BotWorker, message: BotkitMessage) => {
    const turn = message.context.turnState.get(TURN) as EngineTurn;
    let replies: Outgoing[];
    try {
      replies = await handle(turn);
    } catch (error) {
      replies = onError(error, turn);
    }
    // All of a turn's replies in one TurnContext.sendActivities, through the adapter as bot.reply would go,
    // but without bot.reply's per-message re-formatting into a full Activity and its send middleware
    // (we register none): ≈ 8 µs a turn of ≈ 30 for Botkit's whole part.
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
