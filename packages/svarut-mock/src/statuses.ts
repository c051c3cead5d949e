/** The v3 statuses of a forsendelse. */
export const STATUSES = [
  'MOTTATT',
  'AKSEPTERT',
  'AVVIST',
  'FEILET_UNDER_MOTTAK',
  'VARSLET',
  'LEST',
  'SENDT_PRINT',
  'PRINTET',
  'MANUELT_HANDTERT',
  'SENDT_DIGITALT',
  'SENDT_SDP',
  'LEVERT_SDP',
  'KLAR_FOR_MOTTAK',
  'IKKE_LEVERT',
  'SLETTET',
  'SENDT_NHN_MOTTAKER',
  'LEVERT_NHN_MOTTAKER',
] as const

/** A v3 status of a forsendelse. */
export type ForsendelseStatus = (typeof STATUSES)[number]

/** Statuses of signing assignments (`signeringshendelser`). */
export type SigneringStatus =
  | 'AVVIST_AV_SVARUT'
  | 'VENTER_SIGNERING'
  | 'SIGNERT_AV_MOTTAKER'
  | 'AVVIST_AV_MOTTAKER'
  | 'UTLOPT'
