import { describe, expect, it } from 'vitest';
import {
  describeTextMatch,
  foldForSearch,
  ftsPrefixPhrase,
  parseSearchTerms,
  phraseMatches,
  searchTokens,
} from './search-terms.ts';

describe('parseSearchTerms', () => {
  it('makes each word a quoted prefix phrase, all required', () => {
    const terms = parseSearchTerms('anna be');
    expect(terms.match).toBe('"anna"* "be"*');
    expect(terms.words).toEqual([['anna'], ['be']]);
    expect(terms.email).toBeNull();
    expect(terms.phoneDigits).toBeNull();
  });

  it('folds accents and case in the words it compares, and leaves them to the index in the match', () => {
    const terms = parseSearchTerms('ZOË');
    expect(terms.words).toEqual([['zoe']]);
    expect(terms.match).toBe('"ZOË"*');
  });

  it('quotes FTS syntax so it is searched as text', () => {
    expect(parseSearchTerms('AND').match).toBe('"AND"*');
    expect(parseSearchTerms('NEAR(anna').match).toBe('"NEAR(anna"*');
    expect(parseSearchTerms('an"na').match).toBe('"an""na"*');
    expect(parseSearchTerms('anna*').match).toBe('"anna*"*');
  });

  it('drops words with nothing searchable and gives no match when none is left', () => {
    expect(parseSearchTerms('anna " * (').match).toBe('"anna"*');
    const hostile = parseSearchTerms('" * ( ) -');
    expect(hostile.match).toBeNull();
    expect(hostile.words).toEqual([]);
  });

  it('reads phone-like text as one digit prefix', () => {
    const terms = parseSearchTerms('+31 6 12');
    expect(terms.phoneDigits).toBe('31612');
    expect(terms.match).toBe('"31612"*');
    expect(parseSearchTerms('(020) 123-45').phoneDigits).toBe('02012345');
    expect(parseSearchTerms('+ - ( )').phoneDigits).toBeNull();
  });

  it('recognises a whole e-mail address, lower-cased, and keeps it as a phrase for prefix search', () => {
    const terms = parseSearchTerms('  Anna.Berg@Example.COM ');
    expect(terms.email).toBe('anna.berg@example.com');
    expect(terms.match).toBe('"Anna.Berg@Example.COM"*');
    expect(terms.words).toEqual([['anna', 'berg', 'example', 'com']]);
    expect(parseSearchTerms('anna.berg@exa').email).toBeNull();
  });

  it('tries the ticket reference as scanned and trimmed', () => {
    expect(parseSearchTerms(' TCK-1\r\n').ticketReferences).toEqual([' TCK-1\r\n', 'TCK-1']);
    expect(parseSearchTerms('TCK-1').ticketReferences).toEqual(['TCK-1']);
  });

  it('accepts every common tag UID spelling', () => {
    for (const spelling of ['04:A2:24:B2:C3:3F:80', '04a224b2c33f80', '04 A2 24 B2 C3 3F 80', '04-a2-24-b2-c3-3f-80']) {
      expect(parseSearchTerms(spelling).tagUid).toBe('04A224B2C33F80');
    }
    expect(parseSearchTerms('anna').tagUid).toBeNull();
    expect(parseSearchTerms('04a2').tagUid).toBeNull();
  });
});

describe('search tokens', () => {
  it('fold like unicode61 with diacritics removed', () => {
    expect(foldForSearch('Zoë Ångström')).toBe('zoe angstrom');
    expect(searchTokens('anna.berg@example.com')).toEqual(['anna', 'berg', 'example', 'com']);
    expect(searchTokens('  ')).toEqual([]);
  });

  it('quote a phrase with inner quotes doubled', () => {
    expect(ftsPrefixPhrase('a"b')).toBe('"a""b"*');
  });

  it('match a phrase consecutively, the last token as a prefix', () => {
    expect(phraseMatches(['ber'], ['anna', 'berg'])).toBe(true);
    expect(phraseMatches(['anna', 'ber'], ['anna', 'berg', 'example'])).toBe(true);
    expect(phraseMatches(['anna', 'exa'], ['anna', 'berg', 'example'])).toBe(false);
    expect(phraseMatches(['an', 'berg'], ['anna', 'berg'])).toBe(false);
    expect(phraseMatches([], ['anna'])).toBe(false);
  });
});

describe('describeTextMatch', () => {
  const anna = { name: 'Anna Berg', email: 'anna@example.com', phone: '+31 6 1234 5678' };

  it('prefers the name when it holds every word', () => {
    expect(describeTextMatch(parseSearchTerms('anna be'), anna)).toEqual({
      matchedBy: 'name',
      matchedValue: 'Anna Berg',
      complete: true,
    });
  });

  it('names the phone for a digit prefix of it', () => {
    expect(describeTextMatch(parseSearchTerms('+31 6 12'), anna)).toEqual({
      matchedBy: 'phone',
      matchedValue: '+31 6 1234 5678',
      complete: true,
    });
  });

  it('names the main e-mail, then an alternative one', () => {
    expect(describeTextMatch(parseSearchTerms('example'), anna).matchedBy).toBe('email');
    expect(describeTextMatch(parseSearchTerms('work.nl'), anna, ['anna@work.nl'])).toEqual({
      matchedBy: 'email',
      matchedValue: 'anna@work.nl',
      complete: true,
    });
  });

  it('reports words spread over fields as incomplete, naming the field holding most', () => {
    expect(describeTextMatch(parseSearchTerms('anna berg example'), anna)).toEqual({
      matchedBy: 'name',
      matchedValue: 'Anna Berg',
      complete: false,
    });
    expect(describeTextMatch(parseSearchTerms('work.nl'), anna).complete).toBe(false);
  });
});
