// Zod schemas of the SvarUt REST v3 send payload and status, written from
// KS's OpenAPI documents forsendelse-send-api-v3.json and
// forsendelse-status-api-v3.json. Structural rules (types, lengths,
// patterns, enums) live here; the rules that span fields (checksums, print,
// signing, sizes) are in validate.ts.
import { z } from 'zod'

const text = (max: number, min = 1): z.ZodString => z.string().min(min).max(max)
const dateTime = (): z.ZodISODateTime => z.iso.datetime({ offset: true, local: true })
const uuid = (): z.ZodString =>
  z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)

/** Characters a `filnavn` may not contain. */
export const FORBIDDEN_FILENAME_CHARACTERS: readonly string[] = ['*', ':', '"', '\\', '/', '<', '>', '|', '?']

const adresse: z.ZodObject<
  {
    adresselinje1: z.ZodString
    adresselinje2: z.ZodOptional<z.ZodString>
    adresselinje3: z.ZodOptional<z.ZodString>
    postnummer: z.ZodOptional<z.ZodString>
    poststed: z.ZodString
    landkode: z.ZodOptional<z.ZodString>
  },
  z.core.$strip
> = z.object({
  adresselinje1: text(70),
  adresselinje2: text(70).optional(),
  adresselinje3: text(70).optional(),
  postnummer: text(20).optional(),
  poststed: text(70),
  landkode: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
})
/**
 * Postal address (`Adresse`): `adresselinje1` and `poststed` required, lines ≤ 70,
 * `landkode` ISO 3166-1 alpha-2 (Norway when absent).
 *
 * @example
 * ```ts
 * Adresse.parse({ adresselinje1: 'Storgata 1', postnummer: '0155', poststed: 'Oslo' })
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export const Adresse: typeof adresse = adresse
/** Postal address. */
export type Adresse = z.infer<typeof adresse>

const mottaker: z.ZodObject<
  { navn: z.ZodString; digitalId: z.ZodString; adresse: z.ZodOptional<typeof adresse> },
  z.core.$strip
> = z.object({
  navn: text(100),
  digitalId: z.string().min(9).max(11),
  adresse: adresse.optional(),
})
/**
 * Recipient of a person or organisation send (`Mottaker`): name, fødselsnummer/D-nummer
 * or organisasjonsnummer, and an address so that print is possible.
 *
 * @example
 * ```ts
 * Mottaker.parse({ navn: 'Kari Nordmann', digitalId: '991825827' })
 * ```
 */
export const Mottaker: typeof mottaker = mottaker
/** Recipient with a digital id. */
export type Mottaker = z.infer<typeof mottaker>

const postadresse: z.ZodObject<{ navn: z.ZodString; adresse: typeof adresse }, z.core.$strip> = z.object({
  navn: text(100),
  adresse,
})
/**
 * Recipient of a print-only send (`Postadresse`): name and address.
 *
 * @example
 * ```ts
 * Postadresse.parse({ navn: 'Ola', adresse: { adresselinje1: 'Vei 1', poststed: 'Bergen' } })
 * ```
 */
export const Postadresse: typeof postadresse = postadresse
/** Recipient of a print-only send. */
export type Postadresse = z.infer<typeof postadresse>

const svarSendesTil: z.ZodObject<
  {
    navn: z.ZodString
    type: z.ZodEnum<{ PERSON: 'PERSON'; ORGANISASJON: 'ORGANISASJON'; NHN_MOTTAKER: 'NHN_MOTTAKER' }>
    digitalId: z.ZodString
    adresse: typeof adresse
  },
  z.core.$strip
> = z.object({
  navn: text(100),
  type: z.enum(['PERSON', 'ORGANISASJON', 'NHN_MOTTAKER']),
  digitalId: z.string().regex(/^\d{1,11}$/),
  adresse,
})
/**
 * Where replies go (`SvarSendesTil`); overrides the sender's cover-page address.
 *
 * @example
 * ```ts
 * SvarSendesTil.parse({ navn: 'Kommunen', type: 'ORGANISASJON', digitalId: '991825827', adresse })
 * ```
 */
export const SvarSendesTil: typeof svarSendesTil = svarSendesTil
/** Reply address. */
export type SvarSendesTil = z.infer<typeof svarSendesTil>

const lenke: z.ZodObject<
  { url: z.ZodString; tekst: z.ZodString; ledetekst: z.ZodOptional<z.ZodString> },
  z.core.$strip
> = z.object({ url: text(1000), tekst: text(100), ledetekst: text(100).optional() })
/**
 * A link shown in digital mailboxes (`Lenke`). At most 5 per send.
 *
 * @example
 * ```ts
 * Lenke.parse({ url: 'https://kommune.no/sak', tekst: 'Se saken' })
 * ```
 */
export const Lenke: typeof lenke = lenke
/** A link. */
export type Lenke = z.infer<typeof lenke>

const metadata: z.ZodObject<{ key: z.ZodString; value: z.ZodString }, z.core.$strip> = z.object({
  key: text(100),
  value: text(500),
})
/**
 * A free key/value pair (`Metadata`): key ≤ 100, value ≤ 500.
 *
 * @example
 * ```ts
 * Metadata.parse({ key: 'avdeling', value: 'Byggesak' })
 * ```
 */
export const Metadata: typeof metadata = metadata
/** Key/value metadata. */
export type Metadata = z.infer<typeof metadata>

const noarkBase = {
  mappeId: text(100).optional(),
  mappeSystemId: text(100).optional(),
  saksaar: z.number().int().min(1000).max(9999).optional(),
  sakssekvensnummer: z.number().int().min(1).optional(),
  systemId: text(100).optional(),
  registreringsId: text(100).optional(),
  journalpostnummer: z.number().int().min(1).optional(),
  journalaar: z.number().int().min(1000).max(9999).optional(),
  journalsekvensnummer: z.number().int().min(1).optional(),
  journalposttype: text(100).optional(),
  journalstatus: text(100).optional(),
  dokumentetsDato: dateTime().optional(),
  tittel: text(1000).optional(),
}
const noarkMetadataForImport: z.ZodObject<
  {
    mappeId: z.ZodOptional<z.ZodString>
    mappeSystemId: z.ZodOptional<z.ZodString>
    saksaar: z.ZodOptional<z.ZodNumber>
    sakssekvensnummer: z.ZodOptional<z.ZodNumber>
    systemId: z.ZodOptional<z.ZodString>
    registreringsId: z.ZodOptional<z.ZodString>
    journalpostnummer: z.ZodOptional<z.ZodNumber>
    journalaar: z.ZodOptional<z.ZodNumber>
    journalsekvensnummer: z.ZodOptional<z.ZodNumber>
    journalposttype: z.ZodOptional<z.ZodString>
    journalstatus: z.ZodOptional<z.ZodString>
    dokumentetsDato: z.ZodOptional<z.ZodISODateTime>
    tittel: z.ZodOptional<z.ZodString>
  },
  z.core.$strip
> = z.object(noarkBase)
/**
 * Noark 5 metadata matching the receiving system (`NoarkMetadataForImport`).
 *
 * @example
 * ```ts
 * NoarkMetadataForImport.parse({ saksaar: 2025, sakssekvensnummer: 42 })
 * ```
 */
export const NoarkMetadataForImport: typeof noarkMetadataForImport = noarkMetadataForImport
/** Noark 5 metadata for import. */
export type NoarkMetadataForImport = z.infer<typeof noarkMetadataForImport>

const noarkMetadataFraAvleverendeSystem: z.ZodObject<
  {
    journaldato: z.ZodOptional<z.ZodISODateTime>
    saksbehandler: z.ZodOptional<z.ZodString>
    ekstraMetadata: z.ZodOptional<z.ZodArray<typeof metadata>>
    mappeId: z.ZodOptional<z.ZodString>
    mappeSystemId: z.ZodOptional<z.ZodString>
    saksaar: z.ZodOptional<z.ZodNumber>
    sakssekvensnummer: z.ZodOptional<z.ZodNumber>
    systemId: z.ZodOptional<z.ZodString>
    registreringsId: z.ZodOptional<z.ZodString>
    journalpostnummer: z.ZodOptional<z.ZodNumber>
    journalaar: z.ZodOptional<z.ZodNumber>
    journalsekvensnummer: z.ZodOptional<z.ZodNumber>
    journalposttype: z.ZodOptional<z.ZodString>
    journalstatus: z.ZodOptional<z.ZodString>
    dokumentetsDato: z.ZodOptional<z.ZodISODateTime>
    tittel: z.ZodOptional<z.ZodString>
  },
  z.core.$strip
> = z.object({
  ...noarkBase,
  journaldato: dateTime().optional(),
  saksbehandler: text(100).optional(),
  ekstraMetadata: z.array(metadata).max(20).optional(),
})
/**
 * Noark 5 metadata from the sending case system (`NoarkMetadataFraAvleverendeSakssystem`).
 *
 * @example
 * ```ts
 * NoarkMetadataFraAvleverendeSystem.parse({ journalaar: 2025, journalpostnummer: 7, saksbehandler: 'Kari' })
 * ```
 */
export const NoarkMetadataFraAvleverendeSystem: typeof noarkMetadataFraAvleverendeSystem =
  noarkMetadataFraAvleverendeSystem
/** Noark 5 metadata from the sending system. */
export type NoarkMetadataFraAvleverendeSystem = z.infer<typeof noarkMetadataFraAvleverendeSystem>

const utskriftskonfigurasjon: z.ZodObject<{ tosidig: z.ZodOptional<z.ZodBoolean> }, z.core.$strip> = z.object(
  { tosidig: z.boolean().optional() },
)
/**
 * Print settings (`Utskriftskonfigurasjon`).
 *
 * @example
 * ```ts
 * Utskriftskonfigurasjon.parse({ tosidig: true })
 * ```
 */
export const Utskriftskonfigurasjon: typeof utskriftskonfigurasjon = utskriftskonfigurasjon
/** Print settings. */
export type Utskriftskonfigurasjon = z.infer<typeof utskriftskonfigurasjon>

const sikkerhetsniva: z.ZodEnum<{ BETYDELIG: 'BETYDELIG'; HOYESTE: 'HOYESTE' }> = z.enum([
  'BETYDELIG',
  'HOYESTE',
])
/**
 * Login level needed to open the letter: `BETYDELIG` (level 3) or `HOYESTE` (level 4, needs encrypted documents).
 *
 * @example
 * ```ts
 * Sikkerhetsniva.parse('HOYESTE')
 * ```
 */
export const Sikkerhetsniva: typeof sikkerhetsniva = sikkerhetsniva
/** Login level. */
export type Sikkerhetsniva = z.infer<typeof sikkerhetsniva>

const signering: z.ZodObject<
  {
    signeringUtloper: z.ZodISODateTime
    signaturType: z.ZodEnum<{
      AUTENTISERT_SIGNATUR: 'AUTENTISERT_SIGNATUR'
      AVANSERT_SIGNATUR: 'AVANSERT_SIGNATUR'
    }>
  },
  z.core.$strip
> = z.object({
  signeringUtloper: dateTime(),
  signaturType: z.enum(['AUTENTISERT_SIGNATUR', 'AVANSERT_SIGNATUR']),
})
/**
 * Signing order of a person send (`signering`): expiry at least one day ahead and signature type.
 *
 * @example
 * ```ts
 * Signering.parse({ signeringUtloper: '2030-01-01T12:00:00Z', signaturType: 'AVANSERT_SIGNATUR' })
 * ```
 */
export const Signering: typeof signering = signering
/** Signing order. */
export type Signering = z.infer<typeof signering>

const filnavn = text(226)
const mimeType = text(127)

const personDokument: z.ZodObject<
  {
    filnavn: z.ZodString
    mimeType: z.ZodString
    giroarkSide: z.ZodOptional<z.ZodNumber>
    skalSigneres: z.ZodOptional<z.ZodBoolean>
    skalEkskluderesFraUtskrift: z.ZodOptional<z.ZodBoolean>
  },
  z.core.$strip
> = z.object({
  filnavn,
  mimeType,
  giroarkSide: z.number().int().min(1).optional(),
  skalSigneres: z.boolean().optional(),
  skalEkskluderesFraUtskrift: z.boolean().optional(),
})
/**
 * Document metadata of a person send.
 *
 * @example
 * ```ts
 * PersonDokument.parse({ filnavn: 'vedtak.pdf', mimeType: 'application/pdf' })
 * ```
 */
export const PersonDokument: typeof personDokument = personDokument
/** Document metadata of a person send. */
export type PersonDokument = z.infer<typeof personDokument>

const organisasjonDokument: z.ZodObject<
  {
    filnavn: z.ZodString
    mimeType: z.ZodString
    dokumentType: z.ZodOptional<z.ZodString>
    giroarkSide: z.ZodOptional<z.ZodNumber>
    skalEkskluderesFraUtskrift: z.ZodOptional<z.ZodBoolean>
    ekstraMetadata: z.ZodOptional<z.ZodArray<typeof metadata>>
    inneholderPersonsensitivInformasjon: z.ZodOptional<z.ZodBoolean>
  },
  z.core.$strip
> = z.object({
  filnavn,
  mimeType,
  dokumentType: text(100).optional(),
  giroarkSide: z.number().int().min(1).optional(),
  skalEkskluderesFraUtskrift: z.boolean().optional(),
  ekstraMetadata: z.array(metadata).max(20).optional(),
  inneholderPersonsensitivInformasjon: z.boolean().optional(),
})
/**
 * Document metadata of an organisation send.
 *
 * @example
 * ```ts
 * OrganisasjonDokument.parse({ filnavn: 'brev.pdf', mimeType: 'application/pdf', dokumentType: 'U' })
 * ```
 */
export const OrganisasjonDokument: typeof organisasjonDokument = organisasjonDokument
/** Document metadata of an organisation send. */
export type OrganisasjonDokument = z.infer<typeof organisasjonDokument>

const printDokument: z.ZodObject<
  { filnavn: z.ZodString; mimeType: z.ZodString; giroarkSide: z.ZodOptional<z.ZodNumber> },
  z.core.$strip
> = z.object({ filnavn, mimeType: text(50), giroarkSide: z.number().int().min(1).optional() })
/**
 * Document metadata of a print-only send (PDF only).
 *
 * @example
 * ```ts
 * PrintDokument.parse({ filnavn: 'brev.pdf', mimeType: 'application/pdf' })
 * ```
 */
export const PrintDokument: typeof printDokument = printDokument
/** Document metadata of a print-only send. */
export type PrintDokument = z.infer<typeof printDokument>

/** The fields every send except print-only shares (the shape behind `common`). */
type CommonShape = {
  tittel: z.ZodString
  eksponertFor: z.ZodOptional<z.ZodArray<z.ZodString>>
  avgivendeSystem: z.ZodOptional<z.ZodString>
  avgivendeSystemAktor: z.ZodOptional<z.ZodString>
  konteringskode: z.ZodOptional<z.ZodString>
  kunDigitalLevering: z.ZodOptional<z.ZodBoolean>
  kryptert: z.ZodOptional<z.ZodBoolean>
  utskriftskonfigurasjon: z.ZodOptional<typeof utskriftskonfigurasjon>
  svarPaForsendelseId: z.ZodOptional<z.ZodString>
  eksternReferanse: z.ZodOptional<z.ZodString>
  korrelasjonsid: z.ZodOptional<z.ZodString>
}

const common: CommonShape = {
  tittel: text(1000),
  eksponertFor: z.array(z.string()).optional(),
  avgivendeSystem: text(100).optional(),
  avgivendeSystemAktor: text(100).optional(),
  konteringskode: z
    .string()
    .min(1)
    .max(20)
    .regex(/^[a-zA-Z0-9_\-.øæåØÆÅ]{0,20}$/)
    .optional(),
  kunDigitalLevering: z.boolean().optional(),
  kryptert: z.boolean().optional(),
  utskriftskonfigurasjon: utskriftskonfigurasjon.optional(),
  svarPaForsendelseId: uuid().optional(),
  eksternReferanse: text(100).optional(),
  korrelasjonsid: text(100).optional(),
}

const personForsendelse: z.ZodObject<
  {
    mottaker: typeof mottaker
    sikkerhetsniva: z.ZodOptional<typeof sikkerhetsniva>
    svarSendesTil: z.ZodOptional<typeof svarSendesTil>
    dokumenter: z.ZodOptional<z.ZodArray<typeof personDokument>>
    lenker: z.ZodOptional<z.ZodArray<typeof lenke>>
    kanSvareViaEdialog: z.ZodOptional<z.ZodBoolean>
    signering: z.ZodOptional<typeof signering>
  } & CommonShape,
  z.core.$strip
> = z.object({
  ...common,
  mottaker,
  sikkerhetsniva: sikkerhetsniva.optional(),
  svarSendesTil: svarSendesTil.optional(),
  dokumenter: z.array(personDokument).optional(),
  lenker: z.array(lenke).max(5).optional(),
  kanSvareViaEdialog: z.boolean().optional(),
  signering: signering.optional(),
})
/**
 * The `forsendelse` part of `POST /v3/kontoer/{kontoId}/forsendelser/person`.
 *
 * @example
 * ```ts
 * PersonForsendelse.parse({ tittel: 'Vedtak', mottaker: { navn: 'Kari', digitalId }, dokumenter: [{ filnavn: 'v.pdf', mimeType: 'application/pdf' }] })
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export const PersonForsendelse: typeof personForsendelse = personForsendelse
/** A send to a person. */
export type PersonForsendelse = z.infer<typeof personForsendelse>

const organisasjonForsendelse: z.ZodObject<
  {
    mottaker: typeof mottaker
    sikkerhetsniva: z.ZodOptional<typeof sikkerhetsniva>
    metadataFraAvleverendeSystem: z.ZodOptional<typeof noarkMetadataFraAvleverendeSystem>
    metadataForImport: z.ZodOptional<typeof noarkMetadataForImport>
    svarSendesTil: z.ZodOptional<typeof svarSendesTil>
    dokumenter: z.ZodOptional<z.ZodArray<typeof organisasjonDokument>>
    lenker: z.ZodOptional<z.ZodArray<typeof lenke>>
    forsendelsestype: z.ZodOptional<z.ZodString>
    kanSvareViaEdialog: z.ZodOptional<z.ZodBoolean>
    taushetsbelagtPost: z.ZodOptional<z.ZodBoolean>
  } & CommonShape,
  z.core.$strip
> = z.object({
  ...common,
  mottaker,
  sikkerhetsniva: sikkerhetsniva.optional(),
  metadataFraAvleverendeSystem: noarkMetadataFraAvleverendeSystem.optional(),
  metadataForImport: noarkMetadataForImport.optional(),
  svarSendesTil: svarSendesTil.optional(),
  dokumenter: z.array(organisasjonDokument).optional(),
  lenker: z.array(lenke).max(5).optional(),
  forsendelsestype: text(100).optional(),
  kanSvareViaEdialog: z.boolean().optional(),
  taushetsbelagtPost: z.boolean().optional(),
})
/**
 * The `forsendelse` part of `POST /v3/kontoer/{kontoId}/forsendelser/organisasjon`.
 *
 * @example
 * ```ts
 * OrganisasjonForsendelse.parse({ tittel: 'Søknad', mottaker: { navn: 'Kommune', digitalId: '991825827' }, forsendelsestype: 'Byggesøknad' })
 * ```
 */
export const OrganisasjonForsendelse: typeof organisasjonForsendelse = organisasjonForsendelse
/** A send to an organisation. */
export type OrganisasjonForsendelse = z.infer<typeof organisasjonForsendelse>

const navnedel = (): z.ZodString => text(30)
const nhnForsendelse: z.ZodObject<
  {
    tittel: z.ZodString
    beskrivelse: z.ZodOptional<z.ZodString>
    mottakertype: z.ZodEnum<{ FASTLEGE: 'FASTLEGE'; HER_ID: 'HER_ID' }>
    mottakerHerId: z.ZodOptional<z.ZodNumber>
    avsenderKontakt: z.ZodObject<
      {
        fornavn: z.ZodString
        mellomnavn: z.ZodOptional<z.ZodString>
        etternavn: z.ZodString
        telefonnummer: z.ZodString
      },
      z.core.$strip
    >
    pasient: z.ZodObject<
      {
        fodselsnummer: z.ZodString
        fornavn: z.ZodString
        mellomnavn: z.ZodOptional<z.ZodString>
        etternavn: z.ZodString
      },
      z.core.$strip
    >
    eksponertFor: z.ZodOptional<z.ZodArray<z.ZodString>>
    avgivendeSystem: z.ZodOptional<z.ZodString>
    avgivendeSystemAktor: z.ZodOptional<z.ZodString>
    konteringskode: z.ZodOptional<z.ZodString>
    kunDigitalLevering: z.ZodOptional<z.ZodBoolean>
    kryptert: z.ZodOptional<z.ZodBoolean>
    utskriftskonfigurasjon: z.ZodOptional<typeof utskriftskonfigurasjon>
    svarPaForsendelseId: z.ZodOptional<z.ZodString>
    eksternReferanse: z.ZodOptional<z.ZodString>
    korrelasjonsid: z.ZodOptional<z.ZodString>
  },
  z.core.$strip
> = z.object({
  tittel: text(200),
  beskrivelse: text(5000).optional(),
  mottakertype: z.enum(['FASTLEGE', 'HER_ID']),
  mottakerHerId: z.number().int().min(1).max(2_147_483_647).optional(),
  avsenderKontakt: z.object({
    fornavn: navnedel(),
    mellomnavn: navnedel().optional(),
    etternavn: navnedel(),
    telefonnummer: text(20),
  }),
  pasient: z.object({
    fodselsnummer: z.string().regex(/^[0-9]{11}$/),
    fornavn: navnedel(),
    mellomnavn: navnedel().optional(),
    etternavn: navnedel(),
  }),
  eksponertFor: common.eksponertFor,
  avgivendeSystem: common.avgivendeSystem,
  avgivendeSystemAktor: common.avgivendeSystemAktor,
  konteringskode: common.konteringskode,
  kunDigitalLevering: common.kunDigitalLevering,
  kryptert: common.kryptert,
  utskriftskonfigurasjon: common.utskriftskonfigurasjon,
  svarPaForsendelseId: common.svarPaForsendelseId,
  eksternReferanse: common.eksternReferanse,
  korrelasjonsid: common.korrelasjonsid,
})
/**
 * The `forsendelse` part of `POST /v3/kontoer/{kontoId}/forsendelser/nhn` (Norsk Helsenett):
 * one PDF ≤ 18 MB goes as the single file part.
 *
 * @example
 * ```ts
 * NhnForsendelse.parse({ tittel: 'Epikrise', mottakertype: 'FASTLEGE', avsenderKontakt, pasient })
 * ```
 */
export const NhnForsendelse: typeof nhnForsendelse = nhnForsendelse
/** A send to a recipient in Norsk Helsenett. */
export type NhnForsendelse = z.infer<typeof nhnForsendelse>

const printForsendelse: z.ZodObject<
  {
    tittel: z.ZodString
    mottaker: typeof postadresse
    avgivendeSystem: z.ZodOptional<z.ZodString>
    avgivendeSystemAktor: z.ZodOptional<z.ZodString>
    konteringskode: z.ZodOptional<z.ZodString>
    kryptert: z.ZodOptional<z.ZodBoolean>
    utskriftskonfigurasjon: z.ZodOptional<typeof utskriftskonfigurasjon>
    svarSendesTil: z.ZodOptional<typeof svarSendesTil>
    svarPaForsendelseId: z.ZodOptional<z.ZodString>
    dokumenter: z.ZodOptional<z.ZodArray<typeof printDokument>>
    eksternReferanse: z.ZodOptional<z.ZodString>
    korrelasjonsid: z.ZodOptional<z.ZodString>
  },
  z.core.$strip
> = z.object({
  tittel: common.tittel,
  mottaker: postadresse,
  avgivendeSystem: common.avgivendeSystem,
  avgivendeSystemAktor: common.avgivendeSystemAktor,
  konteringskode: common.konteringskode,
  kryptert: common.kryptert,
  utskriftskonfigurasjon: common.utskriftskonfigurasjon,
  svarSendesTil: svarSendesTil.optional(),
  svarPaForsendelseId: common.svarPaForsendelseId,
  dokumenter: z.array(printDokument).optional(),
  eksternReferanse: common.eksternReferanse,
  korrelasjonsid: common.korrelasjonsid,
})
/**
 * The `forsendelse` part of `POST /v3/kontoer/{kontoId}/forsendelser/print` (print only, PDFs < 350 MB).
 *
 * @example
 * ```ts
 * PrintForsendelse.parse({ tittel: 'Brev', mottaker: { navn: 'Ola', adresse } })
 * ```
 */
export const PrintForsendelse: typeof printForsendelse = printForsendelse
/** A print-only send. */
export type PrintForsendelse = z.infer<typeof printForsendelse>

const forsendelse: z.ZodUnion<
  [typeof personForsendelse, typeof organisasjonForsendelse, typeof nhnForsendelse, typeof printForsendelse]
> = z.union([personForsendelse, organisasjonForsendelse, nhnForsendelse, printForsendelse])
/**
 * Any v3 send payload (person, organisation, NHN or print).
 *
 * @example
 * ```ts
 * const ok = Forsendelse.safeParse(JSON.parse(part)).success
 * ```
 */
export const Forsendelse: typeof forsendelse = forsendelse
/** Any v3 send payload. */
export type Forsendelse = z.infer<typeof forsendelse>

/** The four v3 send kinds, as in the path `/v3/kontoer/{kontoId}/forsendelser/{kind}`. */
export type ForsendelseKind = 'person' | 'organisasjon' | 'nhn' | 'print'

/** The payload schema for each send kind. */
export const FORSENDELSE_SCHEMAS: {
  readonly person: typeof personForsendelse
  readonly organisasjon: typeof organisasjonForsendelse
  readonly nhn: typeof nhnForsendelse
  readonly print: typeof printForsendelse
} = {
  person: personForsendelse,
  organisasjon: organisasjonForsendelse,
  nhn: nhnForsendelse,
  print: printForsendelse,
}

const sendForsendelseResponse: z.ZodObject<{ id: z.ZodString }, z.core.$loose> = z.looseObject({ id: uuid() })
/**
 * The answer to a v3 send: the new letter's id.
 *
 * @example
 * ```ts
 * const { id } = SendForsendelseResponse.parse(await response.json())
 * ```
 */
export const SendForsendelseResponse: typeof sendForsendelseResponse = sendForsendelseResponse
/** The answer to a v3 send. */
export type SendForsendelseResponse = z.infer<typeof sendForsendelseResponse>

/** Every status documented for REST v3, in the order of the OpenAPI enum. */
export const KNOWN_STATUSES = [
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

/** A documented v3 status. */
export type KnownStatus = (typeof KNOWN_STATUSES)[number]

const forsendelseStatus: z.ZodObject<
  { id: z.ZodString; sisteStatusEndring: z.ZodString; status: z.ZodString },
  z.core.$loose
> = z.looseObject({
  id: z.string(),
  sisteStatusEndring: z.string(),
  // Kept as a string: a status the client does not know must not fail parsing.
  status: z.string(),
})
/**
 * One entry of `status/sok`; `status` is any string (unknown values are kept raw).
 *
 * @example
 * ```ts
 * ForsendelseStatus.parse({ id, sisteStatusEndring: '2025-01-01T11:33:55.008+01:00', status: 'LEST' })
 * ```
 */
export const ForsendelseStatus: typeof forsendelseStatus = forsendelseStatus
/** One entry of `status/sok`. */
export type ForsendelseStatus = z.infer<typeof forsendelseStatus>

const forsendelseStatuser: z.ZodObject<{ statuser: z.ZodArray<typeof forsendelseStatus> }, z.core.$loose> =
  z.looseObject({ statuser: z.array(forsendelseStatus) })
/**
 * The answer of `POST /v3/kontoer/{kontoId}/forsendelser/status/sok`.
 *
 * @example
 * ```ts
 * const { statuser } = ForsendelseStatuser.parse(body)
 * ```
 */
export const ForsendelseStatuser: typeof forsendelseStatuser = forsendelseStatuser
/** The answer of `status/sok`. */
export type ForsendelseStatuser = z.infer<typeof forsendelseStatuser>

const errorMessage: z.ZodObject<
  {
    timestamp: z.ZodOptional<z.ZodUnion<readonly [z.ZodNumber, z.ZodString]>>
    status: z.ZodOptional<z.ZodNumber>
    error: z.ZodOptional<z.ZodString>
    errorId: z.ZodOptional<z.ZodString>
    path: z.ZodOptional<z.ZodString>
    originalPath: z.ZodOptional<z.ZodString>
    message: z.ZodOptional<z.ZodString>
    errorCode: z.ZodOptional<z.ZodString>
    errorJson: z.ZodOptional<z.ZodUnknown>
    errorDetails: z.ZodOptional<z.ZodUnknown>
  },
  z.core.$loose
> = z.looseObject({
  timestamp: z.union([z.number(), z.string()]).optional(),
  status: z.number().optional(),
  error: z.string().optional(),
  errorId: z.string().optional(),
  path: z.string().optional(),
  originalPath: z.string().optional(),
  message: z.string().optional(),
  errorCode: z.string().optional(),
  // The spec says string; the server sends an object. Accept both (and null).
  errorJson: z.unknown().optional(),
  errorDetails: z.unknown().optional(),
})
/**
 * The Fiks error body (`ErrorMessage`). `errorJson` may be a string or an object.
 *
 * @example
 * ```ts
 * const body = ErrorMessage.safeParse(json)
 * ```
 */
export const ErrorMessage: typeof errorMessage = errorMessage
/** The Fiks error body. */
export type ErrorMessage = z.infer<typeof errorMessage>
