// The Noark 5 code lists as KS Fiks Arkiv v2 publishes them (codes and descriptions are the standard's
// values). A test proves each list equal to the Fiks Arkiv JSON files in
// shared/specs/case-status/fiks-arkiv-kodelister.

/** One code in a Noark 5 code list, with the Fiks Arkiv field names. */
export interface NoarkCode {
  /** The code (what is compared and stored). */
  readonly kodeverdi: string
  /** The description (what Noark archive exports carry instead of the code). */
  readonly kodebeskrivelse: string
}

/** A Noark 5 code list as published by KS Fiks Arkiv v2. */
export interface NoarkCodeList {
  /** The list name as in Fiks Arkiv (`saksstatus`, `journalstatus`, …). */
  readonly navn: string
  /** The Noark 5 metadata id (M052 for saksstatus, …) where this package uses the list. */
  readonly metadataId?: string
  /** The definition text from Fiks Arkiv, when it has one. */
  readonly definisjon?: string
  /** The codes, in the published order. */
  readonly kodeliste: readonly NoarkCode[]
}

/**
 * All 29 Fiks Arkiv v2 code lists, keyed by the lower-case name in the file name
 * (`no.ks.fiks.arkiv.v2.kodelister.<key>.json`).
 *
 * @example
 * ```ts
 * NOARK_CODE_LISTS.saksstatus.kodeliste.map((c) => c.kodeverdi) // ["B", "A", "U", "R", "S", "P", "F"]
 * ```
 * @see https://github.com/ks-no/fiks-arkiv-specification
 */
export const NOARK_CODE_LISTS = {
  arkivdelstatus: {
    navn: 'arkivdelstatus',
    definisjon: 'Status til den arkivperioden som arkivdelen omfatter',
    kodeliste: [
      { kodeverdi: 'A', kodebeskrivelse: 'Aktiv periode' },
      { kodeverdi: 'O', kodebeskrivelse: 'Overlappingsperiode' },
      { kodeverdi: 'P', kodebeskrivelse: 'Avsluttet periode' },
      { kodeverdi: 'U', kodebeskrivelse: 'Uaktuelle mapper' },
    ],
  },
  arkivstatus: {
    navn: 'arkivstatus',
    definisjon: 'Status til arkivet',
    kodeliste: [
      { kodeverdi: 'Opprettet', kodebeskrivelse: 'Opprettet' },
      { kodeverdi: 'Avsluttet', kodebeskrivelse: 'Avsluttet' },
    ],
  },
  avskrivningsmaate: {
    navn: 'avskrivningsmaate',
    metadataId: 'M619',
    definisjon: 'Måten en journalpost har blitt avskrevet på',
    kodeliste: [
      { kodeverdi: 'BU', kodebeskrivelse: 'Besvart med brev' },
      { kodeverdi: 'BE', kodebeskrivelse: 'Besvart med e-post' },
      { kodeverdi: 'TLF', kodebeskrivelse: 'Besvart på telefon' },
      { kodeverdi: 'TE', kodebeskrivelse: 'Tatt til etteretning' },
      { kodeverdi: 'TO', kodebeskrivelse: 'Tatt til orientering' },
    ],
  },
  dokumentmedium: {
    navn: 'dokumentmedium',
    definisjon:
      'Angivelse av om arkivenheten inneholder fysiske dokumenter, elektroniske dokumenter eller en blanding av fysiske og elektroniske dokumenter',
    kodeliste: [
      { kodeverdi: 'F', kodebeskrivelse: 'Fysisk medium' },
      { kodeverdi: 'E', kodebeskrivelse: 'Elektronisk arkiv' },
      { kodeverdi: 'B', kodebeskrivelse: 'Blandet fysisk og elektronisk arkiv' },
    ],
  },
  dokumentstatus: {
    navn: 'dokumentstatus',
    metadataId: 'M054',
    definisjon: 'Status til dokumentet',
    kodeliste: [
      { kodeverdi: 'B', kodebeskrivelse: 'Dokumentet er under redigering' },
      { kodeverdi: 'F', kodebeskrivelse: 'Dokumentet er ferdigstilt' },
    ],
  },
  dokumenttype: {
    navn: 'dokumenttype',
    definisjon: 'Navn på type dokument',
    kodeliste: [
      { kodeverdi: 'SØKNAD', kodebeskrivelse: 'Søknad' },
      { kodeverdi: 'MELDING', kodebeskrivelse: 'Melding' },
      { kodeverdi: 'KORR', kodebeskrivelse: 'Korrespondanse' },
      { kodeverdi: 'KART', kodebeskrivelse: 'Kart' },
      { kodeverdi: 'FOTO', kodebeskrivelse: 'Foto' },
      { kodeverdi: 'TEGNING', kodebeskrivelse: 'Tegning' },
      { kodeverdi: 'ANSVKONTO', kodebeskrivelse: 'Ansvar og kontroll' },
      { kodeverdi: 'TILSYN', kodebeskrivelse: 'Tilsyn' },
      { kodeverdi: 'AVTALE', kodebeskrivelse: 'Avtale' },
      { kodeverdi: 'VEDTAK', kodebeskrivelse: 'Vedtak' },
      { kodeverdi: 'SAKSFRAMLEGG', kodebeskrivelse: 'Saksframlegg' },
      { kodeverdi: 'FERDIGATTEST', kodebeskrivelse: 'Ferdigattest' },
      { kodeverdi: 'PLANBESKR', kodebeskrivelse: 'Planbeskrivelse' },
      { kodeverdi: 'PLANKART', kodebeskrivelse: 'Plankart' },
      { kodeverdi: 'PLANBEST', kodebeskrivelse: 'Planbestemmelser' },
      { kodeverdi: 'PLANPROG', kodebeskrivelse: 'Planprogram' },
      { kodeverdi: 'JURILLUST', kodebeskrivelse: 'Juridisk bindende illustrasjon' },
      { kodeverdi: 'ILLUST', kodebeskrivelse: 'Illustrasjon' },
      { kodeverdi: 'KONSUTR', kodebeskrivelse: 'Konsekvensutredning' },
      { kodeverdi: 'KUNNGJ', kodebeskrivelse: 'Kunngjøring' },
      { kodeverdi: 'RAPPORT', kodebeskrivelse: 'Rapport' },
      { kodeverdi: 'ROS-ANALYSE', kodebeskrivelse: 'ROS-analyse' },
      { kodeverdi: 'UTREDNING', kodebeskrivelse: 'Utredning' },
      { kodeverdi: 'UTTALELSE', kodebeskrivelse: 'Uttalelse' },
      { kodeverdi: 'INNSIGELSE', kodebeskrivelse: 'Innsigelse' },
      { kodeverdi: 'KLAGE', kodebeskrivelse: 'Klage' },
      { kodeverdi: 'TEGNFKL', kodebeskrivelse: 'Tegnforklaring' },
      { kodeverdi: 'GEOREFPLAN', kodebeskrivelse: 'Georeferert plankart' },
      { kodeverdi: 'DOKUMENT', kodebeskrivelse: 'Dokument' },
      { kodeverdi: 'NOTAT', kodebeskrivelse: 'Notat' },
      { kodeverdi: 'ANALYSE', kodebeskrivelse: 'Analyse' },
      { kodeverdi: 'FAKTURA', kodebeskrivelse: 'Faktura' },
      { kodeverdi: 'LYD', kodebeskrivelse: 'Lydfil' },
      { kodeverdi: 'VIDEO', kodebeskrivelse: 'Videofil' },
      { kodeverdi: 'PROTOKOLL', kodebeskrivelse: 'Protokoll' },
      { kodeverdi: 'VEDLEGG', kodebeskrivelse: 'Vedlegg' },
    ],
  },
  elektronisksignatursikkerhetsnivaa: {
    navn: 'elektronisksignatursikkerhetsnivaa',
    definisjon:
      'Angivelse av hvilket sikkerhetsnivå som ble brukt ved forsendelse og mottak av elektroniske dokumenter',
    kodeliste: [
      { kodeverdi: 'SK', kodebeskrivelse: 'Symmetrisk kryptert' },
      { kodeverdi: 'V', kodebeskrivelse: 'Sendt med PKI/virksomhetssertifikat' },
      { kodeverdi: 'PS', kodebeskrivelse: "Sendt med PKI/'person standard'-sertifikat" },
      { kodeverdi: 'PH', kodebeskrivelse: "Sendt med PKI/'person høy'-sertifikat" },
    ],
  },
  elektronisksignaturverifisert: {
    navn: 'elektroniskSignaturVerifisert',
    definisjon:
      'Angivelse av om et dokument er mottatt med elektronisk signatur, og om signaturen er verifisert',
    kodeliste: [
      { kodeverdi: 'I', kodebeskrivelse: 'Signatur påført, ikke verifisert' },
      { kodeverdi: 'V', kodebeskrivelse: 'Signatur påført og verifisert' },
    ],
  },
  flytstatus: {
    navn: 'flytStatus',
    definisjon: 'Godkjennelse/ikke godkjennelse av dokumentet som er sendt på flyt',
    kodeliste: [
      { kodeverdi: 'G', kodebeskrivelse: 'Godkjent' },
      { kodeverdi: 'I', kodebeskrivelse: 'Ikke godkjent' },
      { kodeverdi: 'S', kodebeskrivelse: 'Sendt tilbake til saksbehandler med kommentarer' },
    ],
  },
  grad: {
    navn: 'grad',
    definisjon:
      'Angivelse av at dokumentene er gradert i henhold til sikkerhetsloven eller beskyttelsesinstruksen',
    kodeliste: [
      { kodeverdi: 'SH', kodebeskrivelse: 'Strengt hemmelig (sikkerhetsgrad)' },
      { kodeverdi: 'H', kodebeskrivelse: 'Hemmelig (sikkerhetsgrad)' },
      { kodeverdi: 'K', kodebeskrivelse: 'Konfidensielt (sikkerhetsgrad)' },
      { kodeverdi: 'B', kodebeskrivelse: 'Begrenset (sikkerhetsgrad)' },
      { kodeverdi: 'F', kodebeskrivelse: 'Fortrolig (beskyttelsesgrad)' },
      { kodeverdi: 'SF', kodebeskrivelse: 'Strengt fortrolig (beskyttelsesgrad)' },
    ],
  },
  journalposttype: {
    navn: 'journalposttype',
    metadataId: 'M082',
    definisjon: 'Navn på type journalpost',
    kodeliste: [
      { kodeverdi: 'I', kodebeskrivelse: 'Inngående dokument' },
      { kodeverdi: 'U', kodebeskrivelse: 'Utgående dokument' },
      { kodeverdi: 'N', kodebeskrivelse: 'Organinternt dokument for oppfølging' },
      { kodeverdi: 'X', kodebeskrivelse: 'Organinternt dokument uten oppfølging' },
      { kodeverdi: 'S', kodebeskrivelse: 'Saksframlegg' },
    ],
  },
  journalstatus: {
    navn: 'journalstatus',
    metadataId: 'M053',
    definisjon:
      'Status til journalposten, dvs. om dokumentet er registrert, under behandling eller endelig arkivert',
    kodeliste: [
      { kodeverdi: 'J', kodebeskrivelse: 'Journalført' },
      { kodeverdi: 'F', kodebeskrivelse: 'Ferdigstilt av saksbehandler' },
      { kodeverdi: 'G', kodebeskrivelse: 'Godkjent av leder' },
      { kodeverdi: 'E', kodebeskrivelse: 'Ekspedert' },
      { kodeverdi: 'A', kodebeskrivelse: 'Arkivert' },
      { kodeverdi: 'U', kodebeskrivelse: 'Utgår' },
      { kodeverdi: 'M', kodebeskrivelse: 'Midlertidig registrering av innkommende dokument' },
      { kodeverdi: 'S', kodebeskrivelse: 'Saksbehandler har registrert innkommende dokument' },
      { kodeverdi: 'R', kodebeskrivelse: 'Reservert dokument' },
    ],
  },
  kassasjonsvedtak: {
    navn: 'kassasjonsvedtak',
    definisjon: 'Handling som skal utføres ved bevaringstidens slutt',
    kodeliste: [
      { kodeverdi: 'B', kodebeskrivelse: 'Bevares' },
      { kodeverdi: 'K', kodebeskrivelse: 'Kasseres' },
      { kodeverdi: 'G', kodebeskrivelse: 'Vurderes senere' },
      { kodeverdi: 'U', kodebeskrivelse: 'Utført' },
    ],
  },
  klassifikasjonstype: {
    navn: 'klassifikasjonstype',
    definisjon: 'Type klassifikasjonssystem',
    kodeliste: [
      { kodeverdi: 'GBN', kodebeskrivelse: 'Gårds- og bruksnummer' },
      { kodeverdi: 'FH', kodebeskrivelse: 'Funksjonsbasert, hierarkisk' },
      { kodeverdi: 'EH', kodebeskrivelse: 'Emnebasert, hierarkisk arkivnøkkel' },
      { kodeverdi: 'E1', kodebeskrivelse: 'Emnebasert, ett nivå' },
      { kodeverdi: 'KK', kodebeskrivelse: 'K-koder' },
      { kodeverdi: 'MF', kodebeskrivelse: 'Mangefasettert, ikke hierarki' },
      { kodeverdi: 'UO', kodebeskrivelse: 'Objektbasert' },
      { kodeverdi: 'PNR', kodebeskrivelse: 'Fødselsnummer' },
    ],
  },
  korrespondanseparttype: {
    navn: 'korrespondanseparttype',
    metadataId: 'M087',
    definisjon: 'Type korrespondansepart',
    kodeliste: [
      { kodeverdi: 'EA', kodebeskrivelse: 'Avsender' },
      { kodeverdi: 'EM', kodebeskrivelse: 'Mottaker' },
      { kodeverdi: 'EK', kodebeskrivelse: 'Kopimottaker' },
      { kodeverdi: 'GM', kodebeskrivelse: 'Gruppemottaker' },
      { kodeverdi: 'IA', kodebeskrivelse: 'Intern avsender' },
      { kodeverdi: 'IM', kodebeskrivelse: 'Intern mottaker' },
      { kodeverdi: 'IK', kodebeskrivelse: 'Intern kopimottaker' },
    ],
  },
  merknadstype: {
    navn: 'merknadstype',
    definisjon: 'Navn på type merknad',
    kodeliste: [
      { kodeverdi: 'MS', kodebeskrivelse: 'Merknad fra saksbehandler' },
      { kodeverdi: 'ML', kodebeskrivelse: 'Merknad fra leder' },
      { kodeverdi: 'MA', kodebeskrivelse: 'Arkivmerknad' },
    ],
  },
  moetedeltakerfunksjon: {
    navn: 'moetedeltakerfunksjon',
    definisjon: 'Funksjon eller rolle til personen som deltok på møtet',
    kodeliste: [
      { kodeverdi: 'LEDER', kodebeskrivelse: 'Leder' },
      { kodeverdi: 'NESTL', kodebeskrivelse: 'Nestleder' },
      { kodeverdi: 'MEDL', kodebeskrivelse: 'Medlem' },
      { kodeverdi: 'VARA', kodebeskrivelse: 'Varamedlem' },
      { kodeverdi: 'SEKR', kodebeskrivelse: 'Sekretær' },
    ],
  },
  moeteregistreringsstatus: {
    navn: 'moeteregistreringsstatus',
    definisjon: 'Status til møteregistreringen',
    kodeliste: [
      { kodeverdi: 'F', kodebeskrivelse: 'Ferdigstilt av saksbehandler' },
      { kodeverdi: 'G', kodebeskrivelse: 'Godkjent av leder' },
      { kodeverdi: 'A', kodebeskrivelse: 'Arkivert' },
      { kodeverdi: 'R', kodebeskrivelse: 'Reservert dokument' },
    ],
  },
  moeteregistreringstype: {
    navn: 'moeteregistreringstype',
    definisjon: 'Navn på type møteregistrering',
    kodeliste: [
      { kodeverdi: 'MI', kodebeskrivelse: 'Møteinnkalling' },
      { kodeverdi: 'SF', kodebeskrivelse: 'Saksframlegg' },
      { kodeverdi: 'SP', kodebeskrivelse: 'Saksprotokoll' },
      { kodeverdi: 'MP', kodebeskrivelse: 'Møteprotokoll' },
      { kodeverdi: 'SL', kodebeskrivelse: 'Saksliste' },
      { kodeverdi: 'OL', kodebeskrivelse: 'Offentlig saksliste' },
      { kodeverdi: 'VL', kodebeskrivelse: 'Vedlegg til møtesak' },
    ],
  },
  moetesakstype: {
    navn: 'moetesakstype',
    definisjon: 'Navn på type møtesak',
    kodeliste: [
      { kodeverdi: 'PS', kodebeskrivelse: 'Politisk sak' },
      { kodeverdi: 'DS', kodebeskrivelse: 'Delegert møtesak' },
      { kodeverdi: 'RS', kodebeskrivelse: 'Referatsak' },
      { kodeverdi: 'FO', kodebeskrivelse: 'Forespørsel (interpellasjon)' },
      { kodeverdi: 'AN', kodebeskrivelse: 'Annet' },
    ],
  },
  partrolle: {
    navn: 'partrolle',
    definisjon: 'Angivelse av rollen til parten',
    kodeliste: [
      { kodeverdi: 'K', kodebeskrivelse: 'Klient' },
      { kodeverdi: 'P', kodebeskrivelse: 'Pårørende arkiv' },
      { kodeverdi: 'F', kodebeskrivelse: 'Formynder' },
      { kodeverdi: 'A', kodebeskrivelse: 'Advokat' },
    ],
  },
  presedensstatus: {
    navn: 'presedensstatus',
    definisjon: 'Informasjon om presedensen er gjeldende eller foreldet',
    kodeliste: [
      { kodeverdi: 'G', kodebeskrivelse: 'Gjeldende' },
      { kodeverdi: 'F', kodebeskrivelse: 'Foreldet' },
    ],
  },
  saksstatus: {
    navn: 'saksstatus',
    metadataId: 'M052',
    definisjon: 'Status til saksmappen, dvs. hvor langt saksbehandlingen har kommet',
    kodeliste: [
      { kodeverdi: 'B', kodebeskrivelse: 'Under behandling' },
      { kodeverdi: 'A', kodebeskrivelse: 'Avsluttet' },
      { kodeverdi: 'U', kodebeskrivelse: 'Utgår' },
      { kodeverdi: 'R', kodebeskrivelse: 'Opprettet av saksbehandler' },
      { kodeverdi: 'S', kodebeskrivelse: 'Avsluttet av saksbehandler' },
      { kodeverdi: 'P', kodebeskrivelse: 'Unntatt prosesstyring' },
      { kodeverdi: 'F', kodebeskrivelse: 'Ferdig fra saksbehandler' },
    ],
  },
  skjermingdokument: {
    navn: 'skjermingdokument',
    metadataId: 'M503',
    definisjon: 'Angivelse av at hele dokumentet eller deler av det må skjermes',
    kodeliste: [
      { kodeverdi: 'H', kodebeskrivelse: 'Skjerming av hele dokumentet' },
      { kodeverdi: 'D', kodebeskrivelse: 'Skjerming av deler av dokumentet' },
    ],
  },
  skjermingopphoereraksjon: {
    navn: 'skjermingopphoereraksjon',
    definisjon: '',
    kodeliste: [
      {
        kodeverdi: 'A',
        kodebeskrivelse:
          'Avgraderes ved første kjøring av funksjon for avgradering etter at avgraderingstidspunktet er nådd',
      },
      {
        kodeverdi: 'G',
        kodebeskrivelse: 'Gjennomgås for vurdering av avgradering når angitt avgraderingstidspunkt nås',
      },
      { kodeverdi: 'S', kodebeskrivelse: 'Sperrefrist, avgraderes automatisk når avgraderingsdato nås' },
      {
        kodeverdi: 'AU',
        kodebeskrivelse:
          'Avgradering utført. Dette er den eneste avgraderingskoden som er tillatt etter at tilgangskode er slettet',
      },
      { kodeverdi: 'U', kodebeskrivelse: 'Unntatt fra automatisk avgradering' },
    ],
  },
  slettingstype: {
    navn: 'slettingstype',
    definisjon: 'Navn på hvilken type objekt som er slettet',
    kodeliste: [
      { kodeverdi: 'SP', kodebeskrivelse: 'Sletting av produksjonsformat' },
      { kodeverdi: 'SV', kodebeskrivelse: 'Sletting av tidligere versjon' },
      { kodeverdi: 'SS', kodebeskrivelse: 'Sletting av variant med sladdet informasjon' },
      { kodeverdi: 'SA', kodebeskrivelse: 'Sletting av hele innholdet i arkivdelen' },
    ],
  },
  tekstformat: {
    navn: 'tekstformat',
    kodeliste: [
      { kodeverdi: 'tekst', kodebeskrivelse: 'Tekst som tekstformat' },
      { kodeverdi: 'markdown', kodebeskrivelse: 'Markdown markup som tekstformat' },
      { kodeverdi: 'html', kodebeskrivelse: 'HTML markup som tekstformat' },
    ],
  },
  tilknyttetregistreringsom: {
    navn: 'tilknyttetregistreringsom',
    definisjon: '',
    kodeliste: [
      { kodeverdi: 'H', kodebeskrivelse: 'Hoveddokument' },
      { kodeverdi: 'V', kodebeskrivelse: 'Vedlegg' },
    ],
  },
  variantformat: {
    navn: 'variantformat',
    definisjon: 'Angivelse av hvilken variant et dokument forekommer i',
    kodeliste: [
      { kodeverdi: 'P', kodebeskrivelse: 'Produksjonsformat' },
      { kodeverdi: 'A', kodebeskrivelse: 'Arkivformat' },
      { kodeverdi: 'O', kodebeskrivelse: 'Dokument hvor deler av innholdet er skjermet' },
      { kodeverdi: 'S', kodebeskrivelse: 'Digitalt signert dokument' },
    ],
  },
} as const
