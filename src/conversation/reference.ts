/** Reference numbers customers read out on the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes. */
import { randomInt } from 'node:crypto';

const LETTERS = '3467ACDEFGHJKMNPQRTUVWXY9';
const DIGITS = '0123456789';

const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** e.g. OW-7K3Q-92: 25^4 × 100 ≈ 39 million values; collisions are resolved by the store's lookup. */
export function newReference(): string {
  return `OW-${pick(LETTERS, 4)}-${pick(DIGITS, 2)}`;
}
