import { describe, expect, it } from 'vitest';
import {
  decideKey,
  initialImeState,
  onCompositionEnd,
  onCompositionStart,
  SAFARI_ENTER_WINDOW_MS,
  type KeyInfo,
} from '../../src/widget/keys.ts';

const key = (over: Partial<KeyInfo> = {}): KeyInfo => ({
  key: 'Enter',
  keyCode: 13,
  isComposing: false,
  shiftKey: false,
  timeStamp: 10_000,
  ...over,
});

describe('Enter and Japanese input methods', () => {
  it('sends on a plain Enter', () => {
    expect(decideKey(key(), initialImeState())).toBe('send');
  });

  it('never sends while the IME reports isComposing (Chrome, Firefox, Edge)', () => {
    expect(decideKey(key({ isComposing: true }), initialImeState())).toBe('ignore');
  });

  it('never sends on keyCode 229 (IME "Process" key: old Chrome/IE, Android keyboards)', () => {
    expect(decideKey(key({ key: 'Process', keyCode: 229 }), initialImeState())).toBe('ignore');
    expect(decideKey(key({ key: 'Enter', keyCode: 229 }), initialImeState())).toBe('ignore');
  });

  it('never sends between compositionstart and compositionend even if the event says otherwise', () => {
    const ime = onCompositionStart(initialImeState());
    expect(decideKey(key(), ime)).toBe('ignore');
  });

  it("ignores Safari's Enter keydown that arrives just after compositionend", () => {
    let ime = onCompositionStart(initialImeState());
    ime = onCompositionEnd(ime, 5_000);
    expect(decideKey(key({ timeStamp: 5_000 }), ime)).toBe('ignore');
    expect(decideKey(key({ timeStamp: 5_000 + SAFARI_ENTER_WINDOW_MS - 1 }), ime)).toBe('ignore');
  });

  it('sends on the next, deliberate Enter after a composition was confirmed (Chrome order)', () => {
    // Chrome: keydown(Enter, isComposing) → compositionend → … user presses Enter again to send.
    let ime = onCompositionStart(initialImeState());
    expect(decideKey(key({ isComposing: true, timeStamp: 5_000 }), ime)).toBe('ignore');
    ime = onCompositionEnd(ime, 5_001);
    expect(decideKey(key({ timeStamp: 5_400 }), ime)).toBe('send');
  });

  it('leaves Shift/Ctrl/Alt/Meta+Enter and other keys alone', () => {
    const ime = initialImeState();
    expect(decideKey(key({ shiftKey: true }), ime)).toBe('other');
    expect(decideKey(key({ ctrlKey: true }), ime)).toBe('other');
    expect(decideKey(key({ altKey: true }), ime)).toBe('other');
    expect(decideKey(key({ metaKey: true }), ime)).toBe('other');
    expect(decideKey(key({ key: 'a', keyCode: 65 }), ime)).toBe('other');
  });

  it('treats a legacy keyCode 13 event without key as Enter', () => {
    expect(decideKey(key({ key: '', keyCode: 13 }), initialImeState())).toBe('send');
  });
});
