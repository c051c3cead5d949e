import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES } from './internal/names.js'
import { intBetween, pick, type Random, seededRandom } from './internal/random.js'
import { daysInMonth } from './national-id.js'
import { organisationCheckDigit } from './organisation-number.js'

/** A synthetic test person: never a real person (month + 80). */
export interface SyntheticPerson {
  /** The synthetic number (fødselsnummer or D-nummer with month + 80). */
  readonly nationalId: string
  readonly kind: 'fnr' | 'dnr'
  readonly givenName: string
  readonly familyName: string
  /** `givenName familyName`. */
  readonly name: string
  /** ISO 8601 date, `YYYY-MM-DD`. */
  readonly birthDate: string
  readonly gender: 'female' | 'male'
}

/** Options for {@link SyntheticGenerator.person}. */
export interface PersonOptions {
  /** `fnr` (default) or `dnr`. */
  readonly kind?: 'fnr' | 'dnr'
  readonly gender?: 'female' | 'male'
  /** Earliest birth year, default 1935. */
  readonly minYear?: number
  /** Latest birth year, default 2019. Must stay within 1900–2039. */
  readonly maxYear?: number
}

/** A seeded source of synthetic persons and organisation numbers. */
export interface SyntheticGenerator {
  /** The next synthetic person. */
  person(options?: PersonOptions): SyntheticPerson
  /** The next synthetic national identity number (a shortcut for `person().nationalId`). */
  nationalId(options?: PersonOptions): string
  /** The next valid organisasjonsnummer (starting with 8 or 9 as Enhetsregisteret's do). */
  organisationNumber(): string
}

/** Options for {@link createSyntheticGenerator}. */
export interface GeneratorOptions {
  /** The same seed always gives the same sequence. Default: random. */
  readonly seed?: string | number
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

function checkDigits(digits: string): string | undefined {
  const d = Array.from(digits, Number) as number[]
  const w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
  const w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3]
  let s1 = 0
  let s2 = 0
  for (let i = 0; i < 9; i++) {
    s1 += (d[i] as number) * (w1[i] as number)
    s2 += (d[i] as number) * (w2[i] as number)
  }
  let k1 = 11 - (s1 % 11)
  if (k1 === 11) k1 = 0
  if (k1 === 10) return undefined
  let k2 = 11 - ((s2 + 2 * k1) % 11)
  if (k2 === 11) k2 = 0
  if (k2 === 10) return undefined
  return `${k1}${k2}`
}

/** Individnummer range for a birth year (genders by the last digit's parity). */
function individRange(year: number): readonly [number, number] {
  if (year >= 2000) return [500, 999]
  if (year >= 1940) return [0, 499]
  return [0, 499]
}

function makeNationalId(
  random: Random,
  options: PersonOptions | undefined,
): {
  nationalId: string
  birthDate: string
  gender: 'female' | 'male'
} {
  const minYear = Math.max(options?.minYear ?? 1935, 1900)
  const maxYear = Math.min(options?.maxYear ?? 2019, 2039)
  if (minYear > maxYear) throw new RangeError('minYear must not be after maxYear (1900–2039)')
  const gender = options?.gender ?? (random() < 0.5 ? 'female' : 'male')
  for (;;) {
    const year = intBetween(random, minYear, maxYear)
    const month = intBetween(random, 1, 12)
    const day = intBetween(random, 1, daysInMonth(year, month))
    const [lo, hi] = individRange(year)
    let individ = intBetween(random, lo, hi)
    if ((individ % 2 === 1) !== (gender === 'male')) individ = individ === hi ? individ - 1 : individ + 1
    const dd = options?.kind === 'dnr' ? day + 40 : day
    const head = `${pad2(dd)}${pad2(month + 80)}${pad2(year % 100)}${String(individ).padStart(3, '0')}`
    const check = checkDigits(head)
    if (check !== undefined) {
      return { nationalId: head + check, birthDate: `${year}-${pad2(month)}-${pad2(day)}`, gender }
    }
  }
}

/**
 * Creates a seeded generator of synthetic test persons (Tenor/TestID style,
 * month + 80, with plausible Norwegian names) and organisation numbers, for
 * tests, demos and the emulators' data. Synthetic numbers can never belong to a
 * real person.
 *
 * @param options - The seed.
 * @returns A generator; the same seed gives the same sequence.
 * @example
 * ```ts
 * const gen = createSyntheticGenerator({ seed: 'demo' })
 * const { nationalId, name } = gen.person()
 * ```
 */
export function createSyntheticGenerator(options?: GeneratorOptions): SyntheticGenerator {
  const random = seededRandom(options?.seed ?? Math.random())
  const person = (personOptions?: PersonOptions): SyntheticPerson => {
    const { nationalId, birthDate, gender } = makeNationalId(random, personOptions)
    const givenName = pick(random, gender === 'female' ? FEMALE_NAMES : MALE_NAMES)
    const familyName = pick(random, FAMILY_NAMES)
    return {
      nationalId,
      kind: personOptions?.kind ?? 'fnr',
      givenName,
      familyName,
      name: `${givenName} ${familyName}`,
      birthDate,
      gender,
    }
  }
  return {
    person,
    nationalId: (personOptions) => makeNationalId(random, personOptions).nationalId,
    organisationNumber: () => {
      for (;;) {
        const digits = [random() < 0.5 ? 8 : 9]
        for (let i = 1; i < 8; i++) digits.push(intBetween(random, 0, 9))
        const check = organisationCheckDigit(digits)
        if (check !== 10) return digits.join('') + check
      }
    },
  }
}
