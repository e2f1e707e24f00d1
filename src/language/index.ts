/**
 * Understanding what customers type, offline: normalization, yes/no/unsure, mail-client names, error
 * codes, FAQ questions, addresses, network membership. Pure: no I/O here (src/flow/load.ts reads the word lists).
 */
export type { Os, Lexicon, LexiconData } from './lexicon.js';
export { LexiconError, buildLexicon } from './lexicon.js';
export type { Expectation, StepContext, Understanding } from './understand.js';
export { understand } from './understand.js';
export type { ClientMention } from './clients.js';
export { normalize } from './normalize.js';
export { isInNetworks } from './networks.js';
