/**
 * Where Redis keeps staff transcripts, for the reader (redis.ts) and the writer thread
 * (redis-transcript-writer.mjs, plain JavaScript: hence a .mjs with its types beside it).
 *   <prefix>turns:<conversationId>  list of JSON TurnEvent
 *   <prefix>ref:<reference>         string: the latest conversation id with that reference
 *   <prefix>active                  sorted set: conversation id → last activity (ms)
 */
export function transcriptKeys(prefix) {
  return {
    turns: (conversationId) => `${prefix}turns:${conversationId}`,
    ref: (reference) => `${prefix}ref:${reference}`,
    active: `${prefix}active`,
  };
}
