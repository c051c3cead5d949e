import { createHash } from 'node:crypto'
import { createSyntheticGenerator, parseNationalId } from '@felles/identifiers'

/** An organisation a person may represent in Ansattporten (an Altinn "reportee"). */
export interface MockOrganisation {
  /** Organisasjonsnummer (9 digits, valid checksum). */
  readonly organisationNumber: string
  readonly name: string
}

/** A reportee of a person: an organisation plus the rights the person holds there. */
export interface MockReportee extends MockOrganisation {
  /** Altinn rights, e.g. `['Read', 'Write']`. */
  readonly rights: readonly string[]
}

/** A test person that can log in on the mock's login page. */
export interface MockPerson {
  /**
   * The opaque account id used inside the mock (never the national id).
   * `sub` in tokens is derived from it, pairwise per client.
   */
  readonly id: string
  /**
   * The synthetic fødselsnummer or D-nummer (month + 80), returned as `pid`.
   * Absent for a foreign eID user, who logs in without `pid`.
   */
  readonly nationalId?: string
  readonly kind: 'fnr' | 'dnr' | 'foreign'
  readonly givenName: string
  readonly familyName: string
  /** `givenName familyName`. */
  readonly name: string
  /** ISO date of birth, when known. */
  readonly birthDate?: string
  /** Organisations the person may represent in Ansattporten. */
  readonly reportees: readonly MockReportee[]
}

/** A person given in options; missing names are generated. */
export interface PersonInput {
  /** A synthetic national id (must validate as synthetic), or `null` for a foreign eID user without `pid`. */
  readonly nationalId?: string | null
  readonly givenName?: string
  readonly familyName?: string
  readonly reportees?: readonly MockReportee[]
}

const PLACES = ['Fjellvik', 'Nordstrand', 'Sjøholt', 'Lindås', 'Bergsdal', 'Havnes', 'Solbakken', 'Storvik']
const SUFFIXES = ['kommune', 'skole', 'barnehage', 'AS']

export function accountIdFor(seed: string, key: string): string {
  return `acct-${createHash('sha256').update(`${seed}\u0000${key}`).digest('base64url').slice(0, 16)}`
}

/** Builds the mock's people and organisations from a seed. */
export function buildPersons(
  seed: string,
  input: number | readonly PersonInput[] | undefined,
): { persons: MockPerson[]; organisations: MockOrganisation[] } {
  const gen = createSyntheticGenerator({ seed })
  const organisations: MockOrganisation[] = []
  for (let i = 0; i < 4; i++) {
    const place = PLACES[i % PLACES.length] as string
    const suffix = SUFFIXES[i % SUFFIXES.length] as string
    organisations.push({ organisationNumber: gen.organisationNumber(), name: `${place} ${suffix}` })
  }
  const reporteesFor = (index: number): MockReportee[] => {
    const first = organisations[index % organisations.length] as MockOrganisation
    const second = organisations[(index + 1) % organisations.length] as MockOrganisation
    return [
      { ...first, rights: ['Read', 'Write', 'Sign'] },
      ...(index % 2 === 0 ? [{ ...second, rights: ['Read'] }] : []),
    ]
  }

  const persons: MockPerson[] = []
  const seen = new Set<string>()
  const add = (person: MockPerson): void => {
    if (seen.has(person.id)) throw new RangeError('persons: the same person is listed twice')
    seen.add(person.id)
    persons.push(person)
  }

  if (typeof input === 'object') {
    input.forEach((p: PersonInput, index) => {
      const generated = gen.person()
      const givenName = p.givenName ?? generated.givenName
      const familyName = p.familyName ?? generated.familyName
      const name = `${givenName} ${familyName}`
      const reportees = p.reportees ?? reporteesFor(index)
      if (p.nationalId === null) {
        add({
          id: accountIdFor(seed, `foreign:${name}:${index}`),
          kind: 'foreign',
          givenName,
          familyName,
          name,
          reportees,
        })
        return
      }
      const nationalId = p.nationalId ?? generated.nationalId
      const parsed = parseNationalId(nationalId)
      if (!parsed.valid || !parsed.synthetic) {
        // Never a real person's number in a mock: only synthetic (month + 80) numbers.
        throw new RangeError(`persons[${index}].nationalId must be a valid synthetic test number`)
      }
      add({
        id: accountIdFor(seed, nationalId),
        nationalId,
        kind: parsed.kind === 'dnr' ? 'dnr' : 'fnr',
        givenName,
        familyName,
        name,
        ...(p.nationalId === undefined ? { birthDate: generated.birthDate } : {}),
        reportees,
      })
    })
  } else {
    const count = input ?? 6
    if (!Number.isInteger(count) || count < 1 || count > 200) throw new RangeError('persons must be 1–200')
    for (let i = 0; i < count; i++) {
      const kind = i === count - 1 && count > 2 ? 'dnr' : 'fnr'
      const p = gen.person({ kind })
      add({
        id: accountIdFor(seed, p.nationalId),
        nationalId: p.nationalId,
        kind,
        givenName: p.givenName,
        familyName: p.familyName,
        name: p.name,
        birthDate: p.birthDate,
        reportees: reporteesFor(i),
      })
    }
    add({
      id: accountIdFor(seed, 'foreign:eidas'),
      kind: 'foreign',
      givenName: 'Erika',
      familyName: 'Mustermann',
      name: 'Erika Mustermann',
      reportees: [],
    })
  }
  return { persons, organisations }
}
