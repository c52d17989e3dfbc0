/**
 * Name, address and phone material for synthetic customers, per country, with the accents and
 * letters real guest lists contain (Zoë, Łukasz, Núñez, Søren, Müller...) so search, sorting and
 * CSV round trips are exercised on realistic text. Formats use `#` for a digit and `@` for an
 * upper-case letter.
 */
export interface CountryNames {
  country: string;
  /** Relative share of customers from this country. */
  weight: number;
  femaleFirstNames: readonly string[];
  maleFirstNames: readonly string[];
  lastNames: readonly string[];
  cities: readonly { name: string; postcode: string }[];
  streets: readonly string[];
  /** House number before the street name (UK, FR) rather than after it. */
  numberFirst: boolean;
  phone: string;
}

export const countries: readonly CountryNames[] = [
  {
    country: 'Netherlands',
    weight: 30,
    femaleFirstNames: ['Emma', 'Sophie', 'Julia', 'Anna', 'Noa', 'Zoë', 'Fleur', 'Lotte', 'Sanne', 'Iris', 'Anouk', 'Maaike', 'Eline', 'Femke'],
    maleFirstNames: ['Daan', 'Sem', 'Lucas', 'Levi', 'Finn', 'Bram', 'Thijs', 'Joël', 'Ruben', 'Stijn', 'Jeroen', 'Sjoerd', 'Niels', 'Gijs'],
    lastNames: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'de Boer', 'Berg', 'Hendriks', 'van Dijk', 'Dekker', 'Brouwer', 'van Leeuwen', "van 't Hof", 'Kuiper', 'Vermeulen', 'Bosman'],
    cities: [
      { name: 'Amsterdam', postcode: '10## @@' },
      { name: 'Rotterdam', postcode: '30## @@' },
      { name: 'Utrecht', postcode: '35## @@' },
      { name: 'Den Haag', postcode: '25## @@' },
      { name: 'Eindhoven', postcode: '56## @@' },
      { name: 'Groningen', postcode: '97## @@' },
      { name: 'Nijmegen', postcode: '65## @@' },
    ],
    streets: ['Keizersgracht', 'Dorpsstraat', 'Kerkstraat', 'Stationsweg', 'Molenweg', 'Prinsengracht', 'IJsselkade', 'Oudegracht'],
    numberFirst: false,
    phone: '+31 6 #### ####',
  },
  {
    country: 'Germany',
    weight: 15,
    femaleFirstNames: ['Mia', 'Hannah', 'Lea', 'Lena', 'Marie', 'Käthe', 'Jülide', 'Greta', 'Franziska', 'Anja'],
    maleFirstNames: ['Lukas', 'Jonas', 'Leon', 'Felix', 'Maximilian', 'Jürgen', 'Jörg', 'Moritz', 'Tobias', 'Sönke'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schäfer', 'Köhler', 'Groß', 'Hoffmann', 'Krüger', 'Weiß', 'Bergmann'],
    cities: [
      { name: 'Berlin', postcode: '10###' },
      { name: 'Hamburg', postcode: '20###' },
      { name: 'München', postcode: '80###' },
      { name: 'Köln', postcode: '50###' },
      { name: 'Düsseldorf', postcode: '40###' },
      { name: 'Leipzig', postcode: '04###' },
    ],
    streets: ['Hauptstraße', 'Schulstraße', 'Gartenstraße', 'Bahnhofstraße', 'Lindenallee', 'Müllerstraße'],
    numberFirst: false,
    phone: '+49 15# #######',
  },
  {
    country: 'France',
    weight: 10,
    femaleFirstNames: ['Chloé', 'Léa', 'Camille', 'Manon', 'Inès', 'Renée', 'Élodie', 'Océane', 'Maëlle', 'Hélène'],
    maleFirstNames: ['Lucas', 'Hugo', 'Louis', 'Théo', 'François', 'Jérôme', 'Noël', 'Gaël', 'Benoît', 'Raphaël'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Girard', 'Rousseau', 'Fontaine', 'Bérenger', 'Chevalier', "d'Aubigné", 'Lemaître', 'Faure'],
    cities: [
      { name: 'Paris', postcode: '750##' },
      { name: 'Lyon', postcode: '6900#' },
      { name: 'Marseille', postcode: '130##' },
      { name: 'Toulouse', postcode: '310##' },
      { name: 'Nantes', postcode: '440##' },
      { name: 'Lille', postcode: '590##' },
    ],
    streets: ['rue de la République', 'avenue Victor Hugo', 'rue des Écoles', 'boulevard Saint-Michel', 'rue du Général de Gaulle', 'place de l’Église'],
    numberFirst: true,
    phone: '+33 6 ## ## ## ##',
  },
  {
    country: 'United Kingdom',
    weight: 12,
    femaleFirstNames: ['Olivia', 'Amelia', 'Isla', 'Ava', 'Siobhán', 'Freya', 'Grace', 'Niamh', 'Charlotte', 'Poppy'],
    maleFirstNames: ['Oliver', 'George', 'Harry', 'Jack', 'Noah', 'Seán', 'Alfie', 'Callum', 'Rhys', 'Owen'],
    lastNames: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', "O'Brien", 'McDonald', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes'],
    cities: [
      { name: 'London', postcode: 'SW# #@@' },
      { name: 'Manchester', postcode: 'M# #@@' },
      { name: 'Bristol', postcode: 'BS# #@@' },
      { name: 'Leeds', postcode: 'LS# #@@' },
      { name: 'Glasgow', postcode: 'G# #@@' },
      { name: 'Cardiff', postcode: 'CF# #@@' },
    ],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane', 'Park Avenue'],
    numberFirst: true,
    phone: '+44 7### ######',
  },
  {
    country: 'Spain',
    weight: 8,
    femaleFirstNames: ['Lucía', 'María', 'Sofía', 'Paula', 'Martina', 'Begoña', 'Nuria', 'Inés', 'Aitana', 'Ainhoa'],
    maleFirstNames: ['José', 'Hugo', 'Martín', 'Álvaro', 'Íñigo', 'Pablo', 'Sergio', 'Adrián', 'Jesús', 'Joaquín'],
    lastNames: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Núñez', 'Ñúñez', 'Muñoz', 'Jiménez', 'Peña', 'Ibáñez'],
    cities: [
      { name: 'Madrid', postcode: '280##' },
      { name: 'Barcelona', postcode: '080##' },
      { name: 'Valencia', postcode: '460##' },
      { name: 'Sevilla', postcode: '410##' },
      { name: 'Bilbao', postcode: '480##' },
      { name: 'A Coruña', postcode: '150##' },
    ],
    streets: ['Calle Mayor', 'Calle de Alcalá', 'Avenida de la Constitución', 'Calle de la Peña', 'Plaza de España'],
    numberFirst: false,
    phone: '+34 6## ### ###',
  },
  {
    country: 'Poland',
    weight: 7,
    femaleFirstNames: ['Małgorzata', 'Zofia', 'Agnieszka', 'Katarzyna', 'Anna', 'Joanna', 'Żaneta', 'Jadwiga'],
    maleFirstNames: ['Łukasz', 'Paweł', 'Michał', 'Piotr', 'Krzysztof', 'Wojciech', 'Jędrzej', 'Mikołaj'],
    lastNames: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Dąbrowski', 'Kozłowski', 'Żak', 'Król'],
    cities: [
      { name: 'Warszawa', postcode: '0#-###' },
      { name: 'Kraków', postcode: '3#-###' },
      { name: 'Gdańsk', postcode: '80-###' },
      { name: 'Wrocław', postcode: '5#-###' },
      { name: 'Łódź', postcode: '9#-###' },
    ],
    streets: ['ulica Długa', 'ulica Piękna', 'ulica Słoneczna', 'aleja Róż', 'ulica Żeromskiego'],
    numberFirst: false,
    phone: '+48 5## ### ###',
  },
  {
    country: 'Denmark',
    weight: 5,
    femaleFirstNames: ['Freja', 'Ida', 'Sofie', 'Signe', 'Ingrid', 'Mette', 'Astrid'],
    maleFirstNames: ['Søren', 'Mads', 'Bjørn', 'Magnus', 'Jens', 'Ole', 'Rasmus', 'Asger'],
    lastNames: ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Sørensen', 'Østergaard', 'Kjærgaard', 'Lund', 'Mølgaard', 'Bæk'],
    cities: [
      { name: 'København', postcode: '1###' },
      { name: 'Aarhus', postcode: '8000' },
      { name: 'Odense', postcode: '5000' },
      { name: 'Aalborg', postcode: '9000' },
      { name: 'Ærøskøbing', postcode: '5970' },
    ],
    streets: ['Nørregade', 'Vestergade', 'Østerbrogade', 'Strandvejen', 'Søndergade'],
    numberFirst: false,
    phone: '+45 ## ## ## ##',
  },
  {
    country: 'Sweden',
    weight: 4,
    femaleFirstNames: ['Åsa', 'Linnéa', 'Elin', 'Maja', 'Saga', 'Ebba', 'Märta'],
    maleFirstNames: ['Björn', 'Erik', 'Olof', 'Anders', 'Åke', 'Göran', 'Linus'],
    lastNames: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Ström', 'Åberg', 'Lindqvist', 'Öberg', 'Sjöberg', 'Ekström'],
    cities: [
      { name: 'Stockholm', postcode: '11# ##' },
      { name: 'Göteborg', postcode: '41# ##' },
      { name: 'Malmö', postcode: '21# ##' },
      { name: 'Uppsala', postcode: '75# ##' },
    ],
    streets: ['Storgatan', 'Drottninggatan', 'Kungsgatan', 'Skolgatan', 'Järnvägsgatan'],
    numberFirst: false,
    phone: '+46 7# ### ## ##',
  },
  {
    country: 'Italy',
    weight: 9,
    femaleFirstNames: ['Giulia', 'Francesca', 'Chiara', 'Aurora', 'Beatrice', 'Ludovica', 'Noemi'],
    maleFirstNames: ['Leonardo', 'Francesco', 'Niccolò', 'Mattia', 'Nicolò', 'Andrea', 'Gabriele', 'Elia'],
    lastNames: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'De Luca', "D'Angelo", 'Fabbri', 'Conti', 'Galli'],
    cities: [
      { name: 'Roma', postcode: '001##' },
      { name: 'Milano', postcode: '201##' },
      { name: 'Napoli', postcode: '801##' },
      { name: 'Torino', postcode: '101##' },
      { name: 'Bologna', postcode: '401##' },
      { name: 'Forlì', postcode: '471##' },
    ],
    streets: ['Via Roma', 'Via Garibaldi', 'Corso Italia', 'Via Dante', 'Piazza del Popolo', 'Via Cavour'],
    numberFirst: false,
    phone: '+39 3## ### ####',
  },
];

export const genders = [
  ['female', 44],
  ['male', 42],
  ['non-binary', 2],
  [null, 12],
] as const;

/** Reserved example domains (RFC 2606 / RFC 6761): synthetic addresses can never reach a real person. */
export const emailDomains = [
  ['example.com', 30],
  ['example.org', 15],
  ['example.net', 15],
  ['mail.example', 15],
  ['inbox.example', 10],
  ['post.example', 10],
  ['festival-fans.example', 5],
] as const;

export const labelNames = [
  { name: 'VIP', color: '#c9a227' },
  { name: 'Press', color: '#2f6fde' },
  { name: 'Crew', color: '#6b7280' },
  { name: 'Artist', color: '#a855f7' },
  { name: 'Sponsor', color: '#16a34a' },
  { name: 'Volunteer', color: '#f97316' },
  { name: 'Wheelchair access', color: '#0ea5e9' },
] as const;

export const customerDescriptions = [
  'Needs wheelchair access at the main entrance.',
  'Lost wristband on Saturday; replaced at the box office.',
  'Called about a refund for the camping upgrade — promised a call back.',
  'Guest of the headliner; access to the artist village.',
  'Complained about a double charge; refunded by the web shop.',
  'Allergic to nuts (mentioned for the VIP catering).',
  'Asked for an invoice in the company name.',
  'Press accreditation checked by the comms team.',
] as const;

/** Replaces each `#` with a digit and each `@` with an upper-case letter. */
export function fillPattern(pattern: string, randomInt: (n: number) => number): string {
  let out = '';
  for (const char of pattern) {
    if (char === '#') out += String(randomInt(10));
    else if (char === '@') out += String.fromCharCode(65 + randomInt(26));
    else out += char;
  }
  return out;
}

const foldedLetters: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', ß: 'ss', đ: 'd', ĳ: 'ij', œ: 'oe' };

/** The ASCII letters an e-mail address would use for a name: "Łukasz Wiśniewski" → "lukasz", "wisniewski". */
export function asciiLetters(text: string): string {
  return text
    .toLowerCase()
    .replace(/[łøæßđĳœ]/g, (char) => foldedLetters[char] ?? char)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z]/g, '');
}
