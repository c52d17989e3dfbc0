import type { Random } from './random.ts';
import { asciiLetters, countries, emailDomains, fillPattern, genders, type CountryNames } from './names.ts';

export interface SyntheticPerson {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  postcode: string | null;
  address: string | null;
  city: string | null;
  country: string | null;
  gender: string | null;
}

const countryWeights = countries.map((country) => [country, country.weight] as const);

/**
 * Hands out e-mail addresses derived from names, never the same one twice (customers' main e-mails
 * are unique, and an alternative e-mail shared by two customers would make lookups ambiguous).
 */
export class EmailBook {
  private readonly used = new Set<string>();

  take(random: Random, firstName: string, lastName: string): string {
    const first = asciiLetters(firstName) || 'guest';
    const last = asciiLetters(lastName) || 'guest';
    const domain = random.weighted(emailDomains);
    const local = random.weighted<string>([
      [`${first}.${last}`, 45],
      [`${first}${last}`, 15],
      [`${first[0]}.${last}`, 15],
      [`${first}_${last}`, 5],
      [`${first}.${last}${random.between(70, 99)}`, 10],
      [`${last}.${first}`, 10],
    ]);
    let email = `${local}@${domain}`;
    for (let n = 2; this.used.has(email); n++) email = `${local}${n}@${domain}`;
    this.used.add(email);
    return email;
  }

  has(email: string): boolean {
    return this.used.has(email);
  }
}

function street(random: Random, country: CountryNames): string {
  const name = random.pick(country.streets);
  const number = String(random.between(1, 240)) + (random.chance(0.1) ? random.pick(['a', 'b', 'c']) : '');
  return country.numberFirst ? `${number} ${name}` : `${name} ${number}`;
}

/** One realistic person: name from a weighted country, e-mail from the name, most contact fields filled. */
export function syntheticPerson(random: Random, emails: EmailBook): SyntheticPerson {
  const country = random.weighted(countryWeights);
  const gender = random.weighted<string | null>(genders);
  const femaleName = gender === 'female' || (gender !== 'male' && random.chance(0.5));
  const firstName = random.pick(femaleName ? country.femaleFirstNames : country.maleFirstNames);
  const lastName = random.pick(country.lastNames);
  const city = random.pick(country.cities);
  const hasAddress = random.chance(0.8);
  return {
    firstName,
    lastName,
    email: emails.take(random, firstName, lastName),
    phone: random.chance(0.85) ? fillPattern(country.phone, random.int) : null,
    postcode: hasAddress ? fillPattern(city.postcode, random.int) : null,
    address: hasAddress ? street(random, country) : null,
    city: hasAddress || random.chance(0.5) ? city.name : null,
    country: random.chance(0.95) ? country.country : null,
    gender,
  };
}
