// Norwegian place-name stems and school kinds for the seeded municipality.
// Some stems are prefixes of others (Berg / Bergheim, Ås / Åsen): org-unit
// paths that share a prefix are a classic boundary bug, so the world has them.
export const SCHOOL_STEMS: readonly string[] = [
  'Berg',
  'Bergheim',
  'Ås',
  'Åsen',
  'Solberg',
  'Haugen',
  'Lia',
  'Eikeli',
  'Bakkeløkka',
  'Fjellstad',
  'Nordby',
  'Sandvika',
  'Vestli',
  'Østre Lier',
  'Kvernhuset',
  'Tårnåsen',
  'Skjønhaug',
  'Rustad',
  'Hovseter',
  'Sætre',
  'Granli',
  'Bjørnholt',
  'Lysejordet',
  'Torshov',
  'Furuset',
  'Kringsjå',
  'Holmlia',
  'Ekeberg',
  'Mørkved',
  'Tiller',
  'Åsvang',
  'Lade',
  'Vikåsen',
  'Strinda',
  'Flatåsen',
  'Hundvåg',
  'Kvernevik',
  'Madla',
  'Tasta',
  'Hinna',
  'Gausel',
  'Sunde',
  'Revheim',
  'Lura',
  'Austrått',
  'Ganddal',
  'Kleppe',
  'Bryne',
  'Vardeneset',
  'Lassa',
]

/** School kinds with their share of pupils per school (min, max). */
export const SCHOOL_KINDS: readonly {
  readonly suffix: string
  readonly min: number
  readonly max: number
}[] = [
  { suffix: 'skole', min: 200, max: 500 },
  { suffix: 'barneskole', min: 150, max: 450 },
  { suffix: 'ungdomsskole', min: 250, max: 600 },
  { suffix: 'skole', min: 300, max: 700 },
  { suffix: 'oppvekstsenter', min: 60, max: 180 },
]

export const FIRST_NAMES: readonly string[] = [
  'Nora',
  'Emma',
  'Ingrid',
  'Sofie',
  'Olivia',
  'Ella',
  'Maja',
  'Sara',
  'Thea',
  'Frida',
  'Ida',
  'Sigrid',
  'Vilde',
  'Linnea',
  'Astrid',
  'Jakob',
  'Emil',
  'Noah',
  'Oliver',
  'Filip',
  'Lukas',
  'Magnus',
  'Sander',
  'Henrik',
  'Aksel',
  'Håkon',
  'Eirik',
  'Johannes',
  'Isak',
  'Mathias',
]

export const LAST_NAMES: readonly string[] = [
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Jensen',
  'Karlsen',
  'Johnsen',
  'Pettersen',
  'Eriksen',
  'Berg',
  'Haugen',
  'Hagen',
  'Johannessen',
  'Andreassen',
  'Jacobsen',
  'Dahl',
  'Jørgensen',
  'Halvorsen',
  'Henriksen',
  'Lund',
  'Sørensen',
  'Jakobsen',
  'Moen',
  'Gundersen',
  'Iversen',
  'Strand',
]

const slugs = new Map<string, string>()

/** ASCII slug for ids, e-mail addresses and org-unit names (æøå folded). */
export function slug(text: string): string {
  let s = slugs.get(text)
  if (s === undefined) {
    s = slugUncached(text)
    if (slugs.size < 10_000) slugs.set(text, s)
  }
  return s
}

function slugUncached(text: string): string {
  return text
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
