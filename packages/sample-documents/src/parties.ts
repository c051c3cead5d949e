/** The sending organisation of a letter (the letterhead), or a school. */
export interface Organisation {
  /** `'Eksempel kommune'`. */
  readonly name: string
  /** Nine digits with a valid check digit; spaces are allowed (`'123 456 785'`). */
  readonly organizationNumber: string
  /** A unit printed under the name, such as `'Helse og omsorg'`. */
  readonly unit?: string | undefined
  /** Up to three lines, such as `['Postboks 1', 'Rådhusgata 1']`. */
  readonly addressLines: readonly string[]
  /** Four digits. */
  readonly postalCode: string
  readonly city: string
  readonly phone?: string | undefined
  readonly email?: string | undefined
  /** Printed as given, such as `'www.eksempel.kommune.no'`. */
  readonly website?: string | undefined
}

/** The recipient block of a letter. */
export interface Recipient {
  readonly name: string
  /** Up to four lines. */
  readonly addressLines: readonly string[]
  /** Four digits in Norway; for an address abroad (with `country`) up to 12 letters, digits, spaces or dashes. */
  readonly postalCode: string
  readonly city: string
  /** Printed only when given (an address abroad). */
  readonly country?: string | undefined
  /**
   * The recipient's fødselsnummer or D-nummer. Validated, and printed only
   * when the letter sets `showNationalIdentityNumber: true`.
   */
  readonly nationalIdentityNumber?: string | undefined
  /** Printed as "Org.nr." in the recipient block when given. */
  readonly organizationNumber?: string | undefined
}

/** Someone signing a letter, listed under "Med hilsen". */
export interface Signer {
  readonly name: string
  /** Such as `'saksbehandler'` or `'rektor'`. */
  readonly title?: string | undefined
}
