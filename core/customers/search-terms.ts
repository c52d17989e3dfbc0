import { normalizeTagUid } from '../fields.ts';

/**
 * What one text in the customers search box can be (DESIGN.md "Screens": name, email, phone,
 * ticket reference, tag UID), worked out without touching the store so it is tested alone.
 */
export interface SearchTerms {
  /** Exact ticket references to try: the text as scanned, and trimmed (deduplicated). */
  ticketReferences: string[];
  /** The text as a tag UID in canonical spelling, when it is one. */
  tagUid: string | null;
  /** A complete e-mail address, lower-cased like stored e-mails: looked up by equality. */
  email: string | null;
  /** The digits of a phone-like text ("+31 6 12" gives "31612"), matched as a digit prefix. */
  phoneDigits: string | null;
  /** The searchable words, each as the tokens the index holds for it (folded, in order). */
  words: string[][];
  /** FTS5 MATCH expression for customer_search, or null when nothing in the text is searchable. */
  match: string | null;
}

/**
 * Folds text the way customer_search's tokenizer (unicode61, remove_diacritics 2) does, so that
 * "Zoë" and "zoe" compare equal here as they do in the index.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The tokens the index makes of a text: runs of letters and digits, folded. */
export function searchTokens(text: string): string[] {
  return foldForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== '');
}

const completeEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phoneLike = /^\+?[\d\s().\-/]+$/;
const searchable = /[\p{L}\p{N}]/u;

/**
 * One FTS5 phrase per word, as a prefix: `"word"*`. Quoting makes every user character literal, so
 * `AND`, `NEAR(`, `*` or a stray `"` can never be read as query syntax.
 */
export function ftsPrefixPhrase(word: string): string {
  return `"${word.replaceAll('"', '""')}"*`;
}

export function parseSearchTerms(text: string): SearchTerms {
  const trimmed = text.trim();
  const ticketReferences = [...new Set([text, trimmed])].filter((reference) => reference !== '');
  const tagUid = normalizeTagUid(trimmed) ?? null;
  const email = completeEmail.test(trimmed) ? trimmed.toLowerCase() : null;

  const digits = trimmed.replace(/\D/g, '');
  if (phoneLike.test(trimmed) && digits !== '') {
    // Phones are indexed as one run of digits, so "+31 6 12" must become one prefix, not three words.
    return { ticketReferences, tagUid, email, phoneDigits: digits, words: [[digits]], match: ftsPrefixPhrase(digits) };
  }

  const rawWords = trimmed.split(/\s+/).filter((word) => searchable.test(word));
  const words = rawWords.map(searchTokens).filter((tokens) => tokens.length > 0);
  const match = rawWords.length === 0 ? null : rawWords.map(ftsPrefixPhrase).join(' ');
  return { ticketReferences, tagUid, email, phoneDigits: null, words, match };
}

/**
 * Whether a word's tokens occur in a field the way an FTS5 prefix phrase matches: consecutive,
 * the last one as a prefix ("anna.berg@exa" matches "anna.berg@example.com").
 */
export function phraseMatches(word: readonly string[], fieldTokens: readonly string[]): boolean {
  if (word.length === 0) return false;
  const last = word.length - 1;
  for (let start = 0; start + last < fieldTokens.length; start++) {
    let matches = true;
    for (let index = 0; index < word.length && matches; index++) {
      const token = fieldTokens[start + index]!;
      matches = index === last ? token.startsWith(word[index]!) : token === word[index];
    }
    if (matches) return true;
  }
  return false;
}

export type TextMatchKind = 'name' | 'email' | 'phone';

export interface MatchableCustomer {
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface TextMatch {
  matchedBy: TextMatchKind;
  matchedValue: string | null;
  /** False when no single field holds every word (the words were spread over name, e-mail, phone). */
  complete: boolean;
}

/**
 * Which field of a customer found by full-text search the words matched, to tell staff why the row
 * is there. Name wins over phone over e-mail; alternative e-mails are tried after the main one.
 */
export function describeTextMatch(
  terms: Pick<SearchTerms, 'words' | 'phoneDigits'>,
  customer: MatchableCustomer,
  alternativeEmails: readonly string[] = [],
): TextMatch {
  const allWordsIn = (value: string | null) => {
    if (value === null || terms.words.length === 0) return false;
    const tokens = searchTokens(value);
    return terms.words.every((word) => phraseMatches(word, tokens));
  };
  const phone = customer.phone === null ? '' : customer.phone.replace(/\D/g, '');

  if (allWordsIn(customer.name)) return { matchedBy: 'name', matchedValue: customer.name, complete: true };
  if (terms.phoneDigits !== null && phone.startsWith(terms.phoneDigits)) {
    return { matchedBy: 'phone', matchedValue: customer.phone, complete: true };
  }
  if (allWordsIn(customer.email)) return { matchedBy: 'email', matchedValue: customer.email, complete: true };
  const alternative = alternativeEmails.find(allWordsIn);
  if (alternative !== undefined) return { matchedBy: 'email', matchedValue: alternative, complete: true };

  // Words spread over several fields ("anna 0612"): name the field holding most of them.
  const count = (value: string | null) => {
    if (value === null) return 0;
    const tokens = searchTokens(value);
    return terms.words.filter((word) => phraseMatches(word, tokens)).length;
  };
  const candidates: { matchedBy: TextMatchKind; value: string | null; words: number }[] = [
    { matchedBy: 'name', value: customer.name, words: count(customer.name) },
    { matchedBy: 'phone', value: customer.phone, words: count(phone === '' ? null : phone) },
    { matchedBy: 'email', value: customer.email, words: count(customer.email) },
  ];
  const best = candidates.reduce((winner, candidate) => (candidate.words > winner.words ? candidate : winner));
  return { matchedBy: best.matchedBy, matchedValue: best.value, complete: false };
}
