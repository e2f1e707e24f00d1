/**
 * Bidirectional controls make text display in another order than it is stored: after U+202E, "invoice‮gnp.exe"
 * reads "invoiceexe.png". Everything staff read of customer text (pages, CSV, the handoff summary) shows each
 * control as its code instead: embeddings and overrides (U+202A–202E), isolates (U+2066–2069) and the marks
 * U+200E, U+200F and U+061C.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}
