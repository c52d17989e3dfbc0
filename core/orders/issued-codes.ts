/**
 * The codes a sale hands out: ticket references and gift-card codes. Generation lives here only,
 * so deriving them from the command envelope and the terminal's short code (issue 9) is a change
 * to this file. Every code is checked against what the store already holds before it is used.
 */

/** '<order number>-<n>', n counting on past any reference an earlier import already holds. */
export function nextTicketReference(orderNumber: string, after: number, isTaken: (reference: string) => boolean): { reference: string; n: number } {
  let n = after;
  let reference: string;
  do reference = `${orderNumber}-${++n}`;
  while (isTaken(reference));
  return { reference, n };
}

/**
 * Read aloud and typed back at a till: no 0/O, 1/I/L or U/V pairs to confuse. 29 symbols, 8 of
 * them: 5.0 × 10^11 codes, so a collision is rare and then simply drawn again.
 */
const giftCardAlphabet = 'ABCDEFGHJKMNPQRSTWXYZ23456789';
const giftCardSymbols = 8;
const maxDraws = 20;

export type RandomBytes = (count: number) => Uint8Array;

const webCryptoBytes: RandomBytes = (count) => crypto.getRandomValues(new Uint8Array(count));

/** 'GC-7KQM-X3PA': a new gift-card code no card holds yet. */
export function newGiftCardCode(isTaken: (code: string) => boolean, randomBytes: RandomBytes = webCryptoBytes): string {
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
    const code = `GC-${symbols.slice(0, 4).join('')}-${symbols.slice(4).join('')}`;
    if (!isTaken(code)) return code;
  }
  throw new Error(`No free gift-card code after ${maxDraws} draws: the random source repeats itself`);
}
