import { envelopeHash } from '../commands/envelope.ts';

/**
 * The codes a sale hands out: ticket references and gift-card codes. Both follow from the command
 * envelope: references from the order number (which carries the terminal's short code), gift-card
 * codes from bytes derived from the envelope id, so a replay hands out the same codes. Every code
 * is checked against what the store already holds before it is used: these are the candidates in
 * the order they are tried, and the caller (orders.create's body) checks each against its store.
 */

/** '<order number>-<n>' for n after `after`, on and on: the references a sale's next ticket may take. */
export function* ticketReferences(orderNumber: string, after: number): Generator<{ reference: string; n: number }, never> {
  for (let n = after + 1; ; n++) yield { reference: `${orderNumber}-${n}`, n };
}

/** '<order number>-<n>', n counting on past any reference an earlier import already holds. */
export function nextTicketReference(orderNumber: string, after: number, isTaken: (reference: string) => boolean): { reference: string; n: number } {
  for (const candidate of ticketReferences(orderNumber, after)) if (!isTaken(candidate.reference)) return candidate;
  throw new Error('unreachable: ticket references never run out');
}

/**
 * Read aloud and typed back at a till: no 0/O, 1/I/L or U/V pairs to confuse. 29 symbols, 8 of
 * them: 5.0 × 10^11 codes, so a collision is rare and then simply drawn again.
 */
const giftCardAlphabet = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
const giftCardSymbols = 8;
const maxDraws = 20;

export type RandomBytes = (count: number) => Uint8Array;

/**
 * Bytes that look random but follow from the envelope: each call takes the next envelope hash under
 * `name` and yields its bytes but the UUID version and variant ones (fixed, so not random).
 */
export function envelopeBytes(envelope: { commandId: string }, name: string): RandomBytes {
  let call = 0;
  return (count) => {
    const bytes: number[] = [];
    while (bytes.length < count) {
      const hash = envelopeHash(envelope.commandId, `${name}.${call++}`);
      for (let i = 0; i < 16 && bytes.length < count; i++) if (i !== 6 && i !== 8) bytes.push(hash[i]!);
    }
    return Uint8Array.from(bytes);
  };
}

/**
 * 'GC-7KQM-X3PA': the gift-card codes drawn from `randomBytes`, in the order they are tried. After
 * `maxDraws` codes that were all taken it throws: the random source repeats itself.
 */
export function* giftCardCodes(randomBytes: RandomBytes): Generator<string, never> {
  for (let draw = 0; draw < maxDraws; draw++) {
    const symbols: string[] = [];
    while (symbols.length < giftCardSymbols) {
      for (const byte of randomBytes(giftCardSymbols)) {
        // Bytes past the last whole multiple of the alphabet are dropped, so every symbol is equally likely.
        if (byte < 256 - (256 % giftCardAlphabet.length) && symbols.length < giftCardSymbols) {
          symbols.push(giftCardAlphabet[byte % giftCardAlphabet.length]!);
        }
      }
    }
    yield `GC-${symbols.slice(0, 4).join('')}-${symbols.slice(4).join('')}`;
  }
  throw new Error(`No free gift-card code after ${maxDraws} draws: the random source repeats itself`);
}

/** A new gift-card code no card holds yet. */
export function newGiftCardCode(isTaken: (code: string) => boolean, randomBytes: RandomBytes): string {
  for (const code of giftCardCodes(randomBytes)) if (!isTaken(code)) return code;
  throw new Error('unreachable: giftCardCodes throws when it runs out');
}
