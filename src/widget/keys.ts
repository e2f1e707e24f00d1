/**
 * Enter-to-send with Japanese input methods, as a pure decision over plain event data.
 *
 * While an IME is composing, Enter confirms the conversion; it must never send. Browsers signal this
 * differently:
 *  - modern browsers: KeyboardEvent.isComposing is true;
 *  - older Chrome/Edge/IE and some Android keyboards: keyCode 229 ("Process");
 *  - Safari (macOS/iOS): compositionend fires BEFORE the keydown of the Enter that confirmed the text, and that
 *    keydown has isComposing false — so an Enter arriving right after compositionend is also a confirmation.
 */

export interface KeyInfo {
  key: string;
  keyCode: number;
  isComposing: boolean;
  shiftKey: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  /** Event.timeStamp, in ms. */
  timeStamp: number;
}

export interface ImeState {
  /** Between compositionstart and compositionend. */
  composing: boolean;
  /** timeStamp of the last compositionend, or -Infinity. */
  compositionEndAt: number;
}

/** How long after compositionend an Enter keydown still belongs to the composition (Safari's order). */
export const SAFARI_ENTER_WINDOW_MS = 100;

export const initialImeState = (): ImeState => ({ composing: false, compositionEndAt: Number.NEGATIVE_INFINITY });

export type EnterDecision = 'send' | 'ignore' | 'other';

export function decideKey(ev: KeyInfo, ime: ImeState): EnterDecision {
  if (ev.key !== 'Enter' && ev.keyCode !== 13 && ev.keyCode !== 229) return 'other';
  if (ev.isComposing || ime.composing || ev.keyCode === 229) return 'ignore';
  if (ev.key !== 'Enter' && ev.keyCode !== 13) return 'other';
  const sinceEnd = ev.timeStamp - ime.compositionEndAt;
  if (sinceEnd >= 0 && sinceEnd < SAFARI_ENTER_WINDOW_MS) return 'ignore';
  if (ev.shiftKey || ev.altKey || ev.ctrlKey || ev.metaKey) return 'other';
  return 'send';
}

export const onCompositionStart = (ime: ImeState): ImeState => ({ ...ime, composing: true });
export const onCompositionEnd = (ime: ImeState, timeStamp: number): ImeState => ({
  composing: false,
  compositionEndAt: timeStamp,
});
