import type { Lifecycle } from './lifecycle.js'
import type { CaseType, StatusType, Visibility } from './schemas.js'
import type { LocalizedText } from './text.js'

function status(
  code: string,
  sequence: number,
  lifecycle: Lifecycle,
  label: LocalizedText,
  citizenText: LocalizedText,
  flags: { notify?: boolean; mustAct?: boolean; visibility?: Visibility } = {},
): StatusType {
  return {
    code,
    sequence,
    lifecycle,
    label,
    citizenText,
    notifyCitizen: flags.notify ?? false,
    citizenMustAct: flags.mustAct ?? false,
    visibility: flags.visibility ?? 'citizen',
  }
}

const DRAFT = status(
  'utkast',
  1,
  'draft',
  { nb: 'Utkast', nn: 'Utkast', en: 'Draft' },
  {
    nb: 'Du har startet på søknaden, men ikke sendt den inn.',
    nn: 'Du har starta på søknaden, men ikkje sendt han inn.',
    en: 'You have started the application but not sent it.',
  },
)

const IN_PROGRESS = status(
  'under-behandling',
  3,
  'in_progress',
  { nb: 'Under behandling', nn: 'Under handsaming', en: 'In progress' },
  {
    nb: 'En saksbehandler arbeider med saken din.',
    nn: 'Ein sakshandsamar arbeider med saka di.',
    en: 'A case officer is working on your case.',
  },
)

const CLOSED = status(
  'avsluttet',
  90,
  'closed',
  { nb: 'Avsluttet', nn: 'Avslutta', en: 'Closed' },
  { nb: 'Saken er avsluttet.', nn: 'Saka er avslutta.', en: 'The case is closed.' },
)

const WITHDRAWN = status(
  'trukket',
  91,
  'withdrawn',
  { nb: 'Trukket', nn: 'Trekt', en: 'Withdrawn' },
  {
    nb: 'Søknaden er trukket, og saken er avsluttet.',
    nn: 'Søknaden er trekt, og saka er avslutta.',
    en: 'The application has been withdrawn and the case is closed.',
  },
  { notify: true },
)

const CANCELLED = status(
  'registrert-ved-feil',
  92,
  'cancelled',
  { nb: 'Registrert ved feil', nn: 'Registrert ved ein feil', en: 'Registered in error' },
  {
    nb: 'Saken ble registrert ved en feil.',
    nn: 'Saka vart registrert ved ein feil.',
    en: 'The case was registered in error.',
  },
  { visibility: 'internal' },
)

const APPEAL_FVL_29 = { duration: 'P3W', legalBasis: 'fvl. § 29' } as const

/**
 * Example case type: building permit (byggesak) under plan- og
 * bygningsloven. Two tracks with the legal deadlines of pbl. § 21-7: 12 weeks
 * for ordinary applications, 3 weeks for simple ones; the clock can be
 * suspended while the municipality waits for documentation and extended by
 * agreement. Decisions can be appealed within 3 weeks (fvl. § 29) to
 * Statsforvalteren. Texts in bokmål, nynorsk and English.
 *
 * @example
 * ```ts
 * trackOf(sak, byggesak).legalDeadline?.duration // 'P12W' for the ordinary track
 * ```
 */
export const byggesak: CaseType = {
  id: 'byggesak',
  version: 1,
  name: { nb: 'Byggesak', nn: 'Byggjesak', en: 'Building permit' },
  description: {
    nb: 'Søknad om tillatelse til tiltak etter plan- og bygningsloven.',
    nn: 'Søknad om løyve til tiltak etter plan- og bygningslova.',
    en: 'Application for a building permit under the Planning and Building Act.',
  },
  legalBasis: 'pbl. kap. 20 og 21',
  fiksInnsynType: 'BYGGESAK',
  statusTypes: [
    DRAFT,
    status(
      'mottatt',
      2,
      'received',
      { nb: 'Søknad mottatt', nn: 'Søknad motteken', en: 'Application received' },
      {
        nb: 'Vi har mottatt søknaden din. Fristen for å behandle den løper fra i dag.',
        nn: 'Vi har motteke søknaden din. Fristen for å handsame han går frå i dag.',
        en: 'We have received your application. The processing deadline runs from today.',
      },
      { notify: true },
    ),
    IN_PROGRESS,
    status(
      'mangler-dokumentasjon',
      4,
      'awaiting_citizen',
      { nb: 'Mangler dokumentasjon', nn: 'Manglar dokumentasjon', en: 'Documents missing' },
      {
        nb: 'Vi trenger mer dokumentasjon fra deg før vi kan behandle søknaden. Brevet fra oss sier hva som mangler.',
        nn: 'Vi treng meir dokumentasjon frå deg før vi kan handsame søknaden. Brevet frå oss seier kva som manglar.',
        en: 'We need more documentation from you before we can process the application. Our letter says what is missing.',
      },
      { notify: true, mustAct: true },
    ),
    status(
      'til-uttale',
      5,
      'awaiting_other',
      { nb: 'Til uttale', nn: 'Til fråsegn', en: 'Out for comment' },
      {
        nb: 'Søknaden er sendt til andre myndigheter for uttale. Vi fortsetter når svarene er kommet.',
        nn: 'Søknaden er send til andre styresmakter for fråsegn. Vi held fram når svara er komne.',
        en: 'The application has been sent to other authorities for comment. We continue when their replies arrive.',
      },
    ),
    status(
      'intern-vurdering',
      6,
      'in_progress',
      { nb: 'Intern vurdering', nn: 'Intern vurdering', en: 'Internal review' },
      {
        nb: 'Saken vurderes internt.',
        nn: 'Saka vert vurdert internt.',
        en: 'The case is under internal review.',
      },
      { visibility: 'internal' },
    ),
    status(
      'vedtak',
      7,
      'decided',
      { nb: 'Vedtak fattet', nn: 'Vedtak gjort', en: 'Decision made' },
      {
        nb: 'Vi har fattet vedtak i saken din. Vedtaket og klageadgangen står i brevet i innboksen din.',
        nn: 'Vi har gjort vedtak i saka di. Vedtaket og klageretten står i brevet i innboksen din.',
        en: 'We have made a decision in your case. The decision and how to appeal are in the letter in your inbox.',
      },
      { notify: true },
    ),
    CLOSED,
    WITHDRAWN,
    CANCELLED,
  ],
  resultOutcomes: ['granted', 'partially_granted', 'rejected', 'dismissed', 'withdrawn'],
  tracks: [
    {
      code: 'ordinary',
      name: { nb: 'Ordinær søknad', nn: 'Ordinær søknad', en: 'Ordinary application' },
      legalDeadline: {
        duration: 'P12W',
        counting: 'calendar-days',
        legalBasis: 'pbl. § 21-7 første ledd',
        description: {
          nb: 'Søknaden skal avgjøres innen 12 uker.',
          nn: 'Søknaden skal avgjerast innan 12 veker.',
          en: 'The application is to be decided within 12 weeks.',
        },
      },
      serviceNorm: { duration: 'P8W', counting: 'calendar-days' },
    },
    {
      code: 'simple',
      name: { nb: 'Enkel søknad', nn: 'Enkel søknad', en: 'Simple application' },
      legalDeadline: {
        duration: 'P3W',
        counting: 'calendar-days',
        legalBasis: 'pbl. § 21-7 andre ledd',
        description: {
          nb: 'Søknaden skal avgjøres innen 3 uker.',
          nn: 'Søknaden skal avgjerast innan 3 veker.',
          en: 'The application is to be decided within 3 weeks.',
        },
      },
    },
  ],
  suspensionAllowed: true,
  extensionAllowed: true,
  appeal: {
    ...APPEAL_FVL_29,
    appealBody: { nb: 'Statsforvalteren', nn: 'Statsforvaltaren', en: 'The County Governor' },
  },
}

/**
 * Example case type: a kindergarten place (barnehageplass) under
 * barnehageloven § 16. Main admission and continuous admission as tracks
 * with service norms; no suspension or extension. Decisions can be appealed
 * within 3 weeks (fvl. § 29). Texts in bokmål, nynorsk and English.
 *
 * @example
 * ```ts
 * barnehageplass.tracks.map((t) => t.code) // ['hovedopptak', 'lopende']
 * ```
 */
export const barnehageplass: CaseType = {
  id: 'barnehageplass',
  version: 1,
  name: { nb: 'Barnehageplass', nn: 'Barnehageplass', en: 'Kindergarten place' },
  description: {
    nb: 'Søknad om plass i barnehage.',
    nn: 'Søknad om plass i barnehage.',
    en: 'Application for a place in a kindergarten.',
  },
  legalBasis: 'barnehageloven § 16',
  fiksInnsynType: 'SAK',
  statusTypes: [
    DRAFT,
    status(
      'mottatt',
      2,
      'received',
      { nb: 'Søknad mottatt', nn: 'Søknad motteken', en: 'Application received' },
      {
        nb: 'Vi har mottatt søknaden om barnehageplass.',
        nn: 'Vi har motteke søknaden om barnehageplass.',
        en: 'We have received your application for a kindergarten place.',
      },
      { notify: true },
    ),
    IN_PROGRESS,
    status(
      'mangler-opplysninger',
      4,
      'awaiting_citizen',
      { nb: 'Mangler opplysninger', nn: 'Manglar opplysningar', en: 'Information missing' },
      {
        nb: 'Vi trenger flere opplysninger fra deg for å behandle søknaden.',
        nn: 'Vi treng fleire opplysningar frå deg for å handsame søknaden.',
        en: 'We need more information from you to process the application.',
      },
      { notify: true, mustAct: true },
    ),
    status(
      'venter-pa-opptak',
      5,
      'awaiting_other',
      { nb: 'Venter på opptak', nn: 'Ventar på opptak', en: 'Awaiting admission' },
      {
        nb: 'Søknaden behandles i neste opptak. Du får svar når opptaket er gjennomført.',
        nn: 'Søknaden vert handsama i neste opptak. Du får svar når opptaket er gjennomført.',
        en: 'Your application will be considered in the next admission round. You get an answer when it is done.',
      },
    ),
    status(
      'svar-sendt',
      7,
      'decided',
      { nb: 'Svar sendt', nn: 'Svar sendt', en: 'Answer sent' },
      {
        nb: 'Vi har sendt deg svar på søknaden. Har du fått tilbud om plass, må du svare innen fristen i brevet.',
        nn: 'Vi har sendt deg svar på søknaden. Har du fått tilbod om plass, må du svare innan fristen i brevet.',
        en: 'We have sent you an answer. If you have been offered a place, reply by the deadline in the letter.',
      },
      { notify: true },
    ),
    CLOSED,
    WITHDRAWN,
    CANCELLED,
  ],
  resultOutcomes: ['granted', 'rejected', 'withdrawn', 'no_decision'],
  tracks: [
    {
      code: 'hovedopptak',
      name: { nb: 'Hovedopptak', nn: 'Hovudopptak', en: 'Main admission' },
      serviceNorm: { duration: 'P10W', counting: 'calendar-days' },
    },
    {
      code: 'lopende',
      name: { nb: 'Løpende opptak', nn: 'Løpande opptak', en: 'Continuous admission' },
      serviceNorm: { duration: 'P4W', counting: 'calendar-days' },
    },
  ],
  suspensionAllowed: false,
  extensionAllowed: false,
  appeal: APPEAL_FVL_29,
}

/**
 * Example case type: a serving licence (skjenkebevilling) under
 * alkoholloven. The police and the social services are asked for comments
 * before the decision; licences for a single event have a service norm of
 * 10 working days. Decisions can be appealed within 3 weeks (fvl. § 29).
 * Texts in bokmål, nynorsk and English.
 *
 * @example
 * ```ts
 * skjenkebevilling.tracks[1]?.serviceNorm?.counting // 'working-days'
 * ```
 */
export const skjenkebevilling: CaseType = {
  id: 'skjenkebevilling',
  version: 1,
  name: { nb: 'Skjenkebevilling', nn: 'Skjenkeløyve', en: 'Serving licence' },
  description: {
    nb: 'Søknad om bevilling til å skjenke alkoholholdig drikk.',
    nn: 'Søknad om løyve til å skjenkje alkoholhaldig drikk.',
    en: 'Application for a licence to serve alcoholic beverages.',
  },
  legalBasis: 'alkoholloven kap. 1 og 4',
  fiksInnsynType: 'SAK',
  statusTypes: [
    DRAFT,
    status(
      'mottatt',
      2,
      'received',
      { nb: 'Søknad mottatt', nn: 'Søknad motteken', en: 'Application received' },
      {
        nb: 'Vi har mottatt søknaden om skjenkebevilling.',
        nn: 'Vi har motteke søknaden om skjenkeløyve.',
        en: 'We have received your application for a serving licence.',
      },
      { notify: true },
    ),
    IN_PROGRESS,
    status(
      'mangler-dokumentasjon',
      4,
      'awaiting_citizen',
      { nb: 'Mangler dokumentasjon', nn: 'Manglar dokumentasjon', en: 'Documents missing' },
      {
        nb: 'Vi trenger mer dokumentasjon fra deg, for eksempel kunnskapsprøve eller firmaattest.',
        nn: 'Vi treng meir dokumentasjon frå deg, til dømes kunnskapsprøve eller firmaattest.',
        en: 'We need more documentation from you, for example the knowledge test or company certificate.',
      },
      { notify: true, mustAct: true },
    ),
    status(
      'til-uttalelse',
      5,
      'awaiting_other',
      { nb: 'Til uttalelse', nn: 'Til fråsegn', en: 'Out for comment' },
      {
        nb: 'Politiet og sosialtjenesten er bedt om å uttale seg om søknaden.',
        nn: 'Politiet og sosialtenesta er bedne om å uttale seg om søknaden.',
        en: 'The police and the social services have been asked to comment on the application.',
      },
    ),
    status(
      'politisk-behandling',
      6,
      'in_progress',
      { nb: 'Til politisk behandling', nn: 'Til politisk handsaming', en: 'Awaiting political review' },
      {
        nb: 'Søknaden skal behandles i et politisk utvalg. Møtedatoen står på kommunens nettsider.',
        nn: 'Søknaden skal handsamast i eit politisk utval. Møtedatoen står på nettsidene til kommunen.',
        en: "The application goes to a political committee. The meeting date is on the municipality's website.",
      },
      { notify: true },
    ),
    status(
      'vedtak',
      7,
      'decided',
      { nb: 'Vedtak fattet', nn: 'Vedtak gjort', en: 'Decision made' },
      {
        nb: 'Vi har fattet vedtak. Vedtaket og klageadgangen står i brevet i innboksen din.',
        nn: 'Vi har gjort vedtak. Vedtaket og klageretten står i brevet i innboksen din.',
        en: 'We have made a decision. The decision and how to appeal are in the letter in your inbox.',
      },
      { notify: true },
    ),
    CLOSED,
    WITHDRAWN,
    CANCELLED,
  ],
  resultOutcomes: ['granted', 'partially_granted', 'rejected', 'dismissed', 'withdrawn'],
  tracks: [
    {
      code: 'alminnelig',
      name: { nb: 'Alminnelig bevilling', nn: 'Alminneleg løyve', en: 'Ordinary licence' },
      serviceNorm: { duration: 'P3M', counting: 'calendar-days' },
    },
    {
      code: 'enkeltanledning',
      name: {
        nb: 'Bevilling for en enkelt anledning',
        nn: 'Løyve for eit einskilt høve',
        en: 'Single-event licence',
      },
      serviceNorm: { duration: 'P10D', counting: 'working-days' },
    },
  ],
  suspensionAllowed: true,
  extensionAllowed: false,
  appeal: APPEAL_FVL_29,
}

/** The three example case types. */
export const EXAMPLE_CASE_TYPES: readonly CaseType[] = [byggesak, barnehageplass, skjenkebevilling]
