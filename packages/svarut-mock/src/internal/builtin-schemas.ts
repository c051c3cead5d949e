import type { OperationName } from '../operations.js'

// The mock's own JSON Schemas of the SvarUt requests, written from the facts
// in the SvarUt documentation (field lengths, patterns, enums). Used only when
// the official OpenAPI documents are not available.

type Schema = Record<string, unknown>

const str = (min: number, max?: number, pattern?: string): Schema => ({
  type: 'string',
  minLength: min,
  ...(max === undefined ? {} : { maxLength: max }),
  ...(pattern === undefined ? {} : { pattern }),
})
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
})
const bool: Schema = { type: 'boolean' }
const uuid: Schema = { type: 'string', format: 'uuid' }
const dateTime: Schema = { type: 'string', format: 'date-time' }
const int = (minimum?: number): Schema => ({ type: 'integer', ...(minimum === undefined ? {} : { minimum }) })

const adresse = obj(
  {
    adresselinje1: str(1, 70),
    adresselinje2: str(1, 70),
    adresselinje3: str(1, 70),
    postnummer: str(1, 20),
    poststed: str(1, 70),
    landkode: str(2, 2, '^[A-Z]{2}$'),
  },
  ['adresselinje1', 'poststed'],
)
const mottaker = obj({ navn: str(1, 100), digitalId: str(9, 11), adresse }, ['navn', 'digitalId'])
const svarSendesTil = obj(
  {
    navn: str(1, 100),
    type: { type: 'string', enum: ['PERSON', 'ORGANISASJON', 'NHN_MOTTAKER'] },
    digitalId: str(1, 11, '^\\d{1,11}$'),
    adresse,
  },
  ['navn', 'type', 'digitalId', 'adresse'],
)
const keyValue = obj({ key: str(1, 100), value: str(1, 500) }, ['key', 'value'])
const ekstraMetadata: Schema = { type: 'array', maxItems: 20, uniqueItems: true, items: keyValue }
const lenker: Schema = {
  type: 'array',
  maxItems: 5,
  items: obj({ url: str(1, 1000), tekst: str(1, 100), ledetekst: str(1, 100) }, ['url', 'tekst']),
}
const common: Record<string, Schema> = {
  tittel: str(1, 1000),
  avgivendeSystem: str(1, 100),
  avgivendeSystemAktor: str(1, 100),
  konteringskode: str(1, 20, '^[a-zA-Z0-9_\\-.øæåØÆÅ]{0,20}$'),
  kryptert: bool,
  utskriftskonfigurasjon: obj({ tosidig: bool }),
  svarPaForsendelseId: uuid,
  eksternReferanse: str(1, 100),
  korrelasjonsid: str(1, 100),
}
const digitalCommon: Record<string, Schema> = {
  ...common,
  eksponertFor: { type: 'array', uniqueItems: true, items: { type: 'string' } },
  kunDigitalLevering: bool,
  sikkerhetsniva: { type: 'string', enum: ['BETYDELIG', 'HOYESTE'] },
  svarSendesTil,
  lenker,
  kanSvareViaEdialog: bool,
}
const dokumentBase: Record<string, Schema> = {
  filnavn: str(1, 226),
  mimeType: str(1, 127),
  giroarkSide: int(1),
  skalEkskluderesFraUtskrift: bool,
}
const noark: Record<string, Schema> = {
  mappeId: str(1, 100),
  mappeSystemId: str(1, 100),
  saksaar: int(1000),
  sakssekvensnummer: int(1),
  systemId: str(1, 100),
  registreringsId: str(1, 100),
  journalpostnummer: int(1),
  journalaar: int(1000),
  journalsekvensnummer: int(1),
  journalposttype: str(1, 100),
  journalstatus: str(1, 100),
  dokumentetsDato: dateTime,
  tittel: str(1, 1000),
}

const person = obj(
  {
    ...digitalCommon,
    mottaker,
    dokumenter: {
      type: 'array',
      items: obj({ ...dokumentBase, skalSigneres: bool }, ['filnavn', 'mimeType']),
    },
    signering: obj(
      {
        signeringUtloper: dateTime,
        signaturType: { type: 'string', enum: ['AUTENTISERT_SIGNATUR', 'AVANSERT_SIGNATUR'] },
      },
      ['signeringUtloper', 'signaturType'],
    ),
  },
  ['mottaker', 'tittel'],
)
const organisasjon = obj(
  {
    ...digitalCommon,
    mottaker,
    metadataFraAvleverendeSystem: obj({
      ...noark,
      journaldato: dateTime,
      saksbehandler: str(1, 100),
      ekstraMetadata,
    }),
    metadataForImport: obj(noark),
    forsendelsestype: str(1, 100),
    taushetsbelagtPost: bool,
    dokumenter: {
      type: 'array',
      items: obj(
        {
          ...dokumentBase,
          dokumentType: str(1, 100),
          ekstraMetadata,
          inneholderPersonsensitivInformasjon: bool,
        },
        ['filnavn', 'mimeType'],
      ),
    },
  },
  ['mottaker', 'tittel'],
)
const name30 = str(1, 30)
const nhn = obj(
  {
    ...common,
    tittel: str(1, 200),
    beskrivelse: str(1, 5000),
    mottakertype: { enum: ['FASTLEGE', 'HER_ID'] },
    mottakerHerId: int(1),
    avsenderKontakt: obj(
      { fornavn: name30, mellomnavn: name30, etternavn: name30, telefonnummer: str(1, 20) },
      ['fornavn', 'etternavn', 'telefonnummer'],
    ),
    pasient: obj(
      { fodselsnummer: str(11, 11, '^[0-9]{11}$'), fornavn: name30, mellomnavn: name30, etternavn: name30 },
      ['fodselsnummer', 'fornavn', 'etternavn'],
    ),
    eksponertFor: { type: 'array', uniqueItems: true, items: { type: 'string' } },
    kunDigitalLevering: bool,
  },
  ['tittel', 'mottakertype', 'avsenderKontakt', 'pasient'],
)
const print = obj(
  {
    ...common,
    mottaker: obj({ navn: str(1, 100), adresse }, ['navn', 'adresse']),
    svarSendesTil,
    dokumenter: {
      type: 'array',
      items: obj({ filnavn: str(1, 226), mimeType: str(1, 50), giroarkSide: int(1) }, [
        'filnavn',
        'mimeType',
      ]),
    },
  },
  ['tittel', 'mottaker'],
)

/** Request-body schemas per operation. */
export const BUILTIN_BODIES: Readonly<Partial<Record<OperationName, Schema>>> = {
  'send.person': person,
  'send.organisasjon': organisasjon,
  'send.nhn': nhn,
  'send.print': print,
  'status.sok': obj({ id: { type: 'array', items: uuid } }, ['id']),
  lest: obj(
    { fnr: str(11, 11, '^[0-9]{11}$'), tidspunkt: dateTime, eksterntSystemnavn: { type: 'string' } },
    ['fnr', 'tidspunkt'],
  ),
  'svarinn.v1.feilet': obj({ feilmelding: str(1), permanent: bool }, ['feilmelding', 'permanent']),
  'svarinn.v2.status': obj({
    status: { type: 'string', enum: ['MOTTATT', 'FEILET'] },
    feil: obj({ feilmelding: { type: 'string' }, permanent: bool }, ['feilmelding', 'permanent']),
  }),
}

/** Path and query parameter schemas per operation (values arrive as strings and are coerced). */
export const BUILTIN_PARAMS: Readonly<Partial<Record<OperationName, Schema>>> = {
  'send.person': obj({ kontoId: uuid }, ['kontoId']),
  'send.organisasjon': obj({ kontoId: uuid }, ['kontoId']),
  'send.nhn': obj({ kontoId: uuid }, ['kontoId']),
  'send.print': obj({ kontoId: uuid }, ['kontoId']),
  'status.sok': obj({ kontoId: uuid }, ['kontoId']),
  hendelser: obj({ forsendelseId: uuid }, ['forsendelseId']),
  signeringshendelser: obj({ forsendelseId: uuid }, ['forsendelseId']),
  metadata: obj({ forsendelseId: uuid }, ['forsendelseId']),
  eksternref: obj({ kontoId: uuid, eksternRef: { type: 'string' } }, ['kontoId', 'eksternRef']),
  'eksternref.metadata': obj({ kontoId: uuid, eksternRef: { type: 'string' } }, ['kontoId', 'eksternRef']),
  lest: obj({ forsendelseId: uuid }, ['forsendelseId']),
  slett: obj({ forsendelseId: uuid, slettetype: { type: 'string', enum: ['ORIGINALDOKUMENTER', 'ALLE'] } }, [
    'forsendelseId',
  ]),
  mottakersystem: obj({
    organisasjonsnummer: str(9, 9, '^[0-9]{9}$'),
    forsendelseType: str(1, 100, '^[a-zA-ZæøåÆØÅ0-9]+(\\.[a-zA-ZæøåÆØÅ0-9]+)*$'),
    niva: { type: 'integer', minimum: 0, maximum: 9 },
  }),
}
