import type { DocumentLanguage } from '../document-options.js'
import type { MdmVendor, StartPackContact } from '../start-pack.js'
import type { Block } from './municipal-pdf.js'

/** What the start-pack texts are filled with. */
export interface StartPackFacts {
  readonly municipality: string
  readonly school: string
  readonly consoleUrl: string
  readonly vendors: readonly MdmVendor[]
  readonly administrators: readonly string[]
  readonly contact: StartPackContact
  readonly date: string
}

export interface StartPackTexts {
  readonly letterTitle: (f: StartPackFacts) => string
  readonly letter: (f: StartPackFacts) => Block[]
  readonly guideTitle: string
  readonly guideSubtitle: (f: StartPackFacts) => string
  readonly guideRunningHeader: (f: StartPackFacts) => string
  readonly guide: (f: StartPackFacts) => Block[]
}

const VENDOR_NAMES: Readonly<Record<DocumentLanguage, Readonly<Record<MdmVendor, string>>>> = {
  nb: {
    'jamf-school': 'Jamf School (iPad)',
    'jamf-pro': 'Jamf Pro (iPad og Mac)',
    intune: 'Microsoft Intune (Windows-maskiner)',
    google: 'Google Admin (Chromebook)',
  },
  nn: {
    'jamf-school': 'Jamf School (iPad)',
    'jamf-pro': 'Jamf Pro (iPad og Mac)',
    intune: 'Microsoft Intune (Windows-maskiner)',
    google: 'Google Admin (Chromebook)',
  },
  en: {
    'jamf-school': 'Jamf School (iPads)',
    'jamf-pro': 'Jamf Pro (iPads and Macs)',
    intune: 'Microsoft Intune (Windows laptops)',
    google: 'Google Admin (Chromebooks)',
  },
}

/** `a`, `a og b`, `a, b og c`. */
function list(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`
}

function contactLine(c: StartPackContact, labels: { email: string; phone: string }): string {
  const parts = [c.title === undefined ? c.name : `${c.name}, ${c.title}`, `${labels.email}: ${c.email}`]
  if (c.phone !== undefined) parts.push(`${labels.phone}: ${c.phone}`)
  return parts.join(' · ')
}

const p = (text: string): Block => ({ kind: 'paragraph', text })
const h = (text: string): Block => ({ kind: 'heading', text })
const ul = (...items: string[]): Block => ({ kind: 'bullets', items })

const nb: StartPackTexts = {
  letterTitle: (f) => `Velkommen til nettbrettløsningen – startpakke for ${f.school}`,
  letter: (f) => [
    p(
      `${f.school} er nå registrert i kommunens felles løsning for administrasjon av nettbrett og bærbare maskiner. Skolen får den samme strukturen og den samme tjenesten som de andre skolene i ${f.municipality}, og dere kan selv følge opp enhetene deres uten å være eksperter på mobiladministrasjon (MDM).`,
    ),
    h('Dette får skolen'),
    ul(
      `En egen visning i nettbrettkonsollen med skolens enheter fra ${list(
        f.vendors.map((v) => VENDOR_NAMES.nb[v]),
        'og',
      )}.`,
      'Mulighet til å låse enheter, sette dem i mistet-modus, finne dem og starte dem på nytt.',
      'Rapporter om enheter som ikke oppfyller kravene, har utdatert operativsystem eller ikke har vært i kontakt på 30 dager.',
      'Eksport av enhetslister og en logg over alle handlinger som gjelder skolen.',
    ),
    h('Slik kommer dere i gang'),
    ul(
      `Gå til ${f.consoleUrl} og logg inn med Ansattporten.`,
      'Les administratorveiledningen som følger med dette brevet.',
      f.administrators.length > 0
        ? `Disse er registrert som administratorer for skolen: ${list(f.administrators, 'og')}.`
        : 'Gi IT-tjenesten beskjed om hvem som skal være administratorer for skolen.',
    ),
    h('Kontakt'),
    p(
      `Spørsmål om løsningen kan rettes til IT-tjenesten: ${contactLine(f.contact, { email: 'e-post', phone: 'telefon' })}.`,
    ),
  ],
  guideTitle: 'Administratorveiledning for nettbrettkonsollen',
  guideSubtitle: (f) => `${f.school} · ${f.municipality} · ${f.date}`,
  guideRunningHeader: (f) => `Administratorveiledning · ${f.school}`,
  guide: (f) => [
    p(
      `Denne veiledningen er for deg som er administrator for enhetene ved ${f.school}. Den forklarer hvordan du logger inn, hva du kan gjøre i konsollen, og hvilke regler som gjelder for handlinger som ikke kan angres.`,
    ),
    h('1. Logge inn med Ansattporten'),
    p(
      `Konsollen finner du på ${f.consoleUrl}. Du logger inn med Ansattporten, den offentlige innloggingen for ansatte, med BankID eller en annen godkjent eID.`,
    ),
    p(
      'Tilgangen er knyttet til deg som person og til skolene du er administrator for. Du ser bare enhetene og loggføringene til din egen skole; den sentrale IT-tjenesten ser alle skolene. Logg ut når du er ferdig, særlig på maskiner som deles med andre.',
    ),
    h('2. Hva konsollen kan gjøre'),
    p(
      `Skolen har enheter fra ${list(
        f.vendors.map((v) => VENDOR_NAMES.nb[v]),
        'og',
      )}. Alle vises i én liste.`,
    ),
    ul(
      'Se skolens enheter, filtrere på plattform, klasse, samsvar og sist sett, og søke på serienummer.',
      'Åpne en enhet og se historikken over handlinger på den.',
      'Låse en enhet med en melding og et telefonnummer, starte den på nytt, finne den eller fjerne koden.',
      'Sette en enhet i mistet-modus og slå modusen av igjen.',
      'Slette eller fase ut en enhet (se egne regler under).',
      'Utføre samme handling på flere enheter samtidig, med resultat for hver enhet.',
      'Eksportere enhetslisten og skolens handlingslogg som CSV, og se samsvarsrapporten.',
    ),
    h('3. Mistet-modus'),
    p(
      'Når en enhet er mistet eller stjålet, setter du den i mistet-modus. Enheten låses og viser meldingen og telefonnummeret du skriver inn, slik at en som finner den kan levere den tilbake. Kommandoen legges i kø og utføres neste gang enheten er på nett; konsollen viser når den er utført.',
    ),
    p(
      'Mens enheten er i mistet-modus kan du be om posisjonen. Slå av mistet-modus så snart enheten er funnet. Der plattformen ikke har mistet-modus, brukes lås med melding.',
    ),
    h('4. Sletting og utfasing'),
    p(
      'Sletting (wipe) fjerner alt innhold og tilbakestiller enheten. Utfasing (retire) fjerner enheten fra administrasjonen. Ingen av delene kan angres, og data som ikke er lagret i skyen går tapt.',
    ),
    ul(
      'Slett eller fas ut bare når enheten ikke kan gjenfinnes, skal leveres tilbake eller skal brukes av en annen elev.',
      'På bekreftelsessiden må du skrive inn enhetens serienummer og en begrunnelse. Uten begge blir handlingen avvist.',
      'Handlingen loggføres: hvem, hva, hvilken enhet, hvorfor og resultatet.',
      'Snakk med IT-tjenesten før du sletter mange enheter samtidig.',
    ),
    h('5. Hvem du kontakter'),
    p(`IT-tjenesten i ${f.municipality}: ${contactLine(f.contact, { email: 'e-post', phone: 'telefon' })}.`),
    p(
      'Kontakt IT-tjenesten straks hvis en enhet med elevdata er stjålet, eller hvis du ser handlinger i loggen som du ikke kjenner igjen.',
    ),
  ],
}

const nn: StartPackTexts = {
  letterTitle: (f) => `Velkomen til nettbrettløysinga – startpakke for ${f.school}`,
  letter: (f) => [
    p(
      `${f.school} er no registrert i den felles løysinga til kommunen for administrasjon av nettbrett og berbare maskiner. Skulen får den same strukturen og den same tenesta som dei andre skulane i ${f.municipality}, og de kan sjølve følgje opp einingane dykkar utan å vere ekspertar på mobiladministrasjon (MDM).`,
    ),
    h('Dette får skulen'),
    ul(
      `Ei eiga visning i nettbrettkonsollen med einingane til skulen frå ${list(
        f.vendors.map((v) => VENDOR_NAMES.nn[v]),
        'og',
      )}.`,
      'Høve til å låse einingar, setje dei i mista-modus, finne dei og starte dei på nytt.',
      'Rapportar om einingar som ikkje oppfyller krava, har utdatert operativsystem eller ikkje har vore i kontakt på 30 dagar.',
      'Eksport av einingslister og ein logg over alle handlingar som gjeld skulen.',
    ),
    h('Slik kjem de i gang'),
    ul(
      `Gå til ${f.consoleUrl} og logg inn med Ansattporten.`,
      'Les administratorrettleiinga som følgjer med dette brevet.',
      f.administrators.length > 0
        ? `Desse er registrerte som administratorar for skulen: ${list(f.administrators, 'og')}.`
        : 'Gi IT-tenesta beskjed om kven som skal vere administratorar for skulen.',
    ),
    h('Kontakt'),
    p(
      `Spørsmål om løysinga kan rettast til IT-tenesta: ${contactLine(f.contact, { email: 'e-post', phone: 'telefon' })}.`,
    ),
  ],
  guideTitle: 'Administratorrettleiing for nettbrettkonsollen',
  guideSubtitle: (f) => `${f.school} · ${f.municipality} · ${f.date}`,
  guideRunningHeader: (f) => `Administratorrettleiing · ${f.school}`,
  guide: (f) => [
    p(
      `Denne rettleiinga er for deg som er administrator for einingane ved ${f.school}. Ho forklarer korleis du loggar inn, kva du kan gjere i konsollen, og kva reglar som gjeld for handlingar som ikkje kan angrast.`,
    ),
    h('1. Logge inn med Ansattporten'),
    p(
      `Konsollen finn du på ${f.consoleUrl}. Du loggar inn med Ansattporten, den offentlege innlogginga for tilsette, med BankID eller ein annan godkjend eID.`,
    ),
    p(
      'Tilgangen er knytt til deg som person og til skulane du er administrator for. Du ser berre einingane og loggføringane til din eigen skule; den sentrale IT-tenesta ser alle skulane. Logg ut når du er ferdig, særleg på maskiner som blir delte med andre.',
    ),
    h('2. Kva konsollen kan gjere'),
    p(
      `Skulen har einingar frå ${list(
        f.vendors.map((v) => VENDOR_NAMES.nn[v]),
        'og',
      )}. Alle blir viste i éi liste.`,
    ),
    ul(
      'Sjå einingane til skulen, filtrere på plattform, klasse, samsvar og sist sett, og søkje på serienummer.',
      'Opne ei eining og sjå historikken over handlingar på ho.',
      'Låse ei eining med ei melding og eit telefonnummer, starte ho på nytt, finne ho eller fjerne koden.',
      'Setje ei eining i mista-modus og slå modusen av igjen.',
      'Slette eller fase ut ei eining (sjå eigne reglar under).',
      'Utføre same handling på fleire einingar samstundes, med resultat for kvar eining.',
      'Eksportere einingslista og handlingsloggen til skulen som CSV, og sjå samsvarsrapporten.',
    ),
    h('3. Mista-modus'),
    p(
      'Når ei eining er mista eller stolen, set du ho i mista-modus. Eininga blir låst og viser meldinga og telefonnummeret du skriv inn, slik at den som finn ho kan levere ho tilbake. Kommandoen blir lagd i kø og utført neste gong eininga er på nett; konsollen viser når ho er utført.',
    ),
    p(
      'Medan eininga er i mista-modus, kan du be om posisjonen. Slå av mista-modus så snart eininga er funnen. Der plattforma ikkje har mista-modus, blir lås med melding brukt.',
    ),
    h('4. Sletting og utfasing'),
    p(
      'Sletting (wipe) fjernar alt innhald og tilbakestiller eininga. Utfasing (retire) fjernar eininga frå administrasjonen. Ingen av delane kan angrast, og data som ikkje er lagra i skya, går tapt.',
    ),
    ul(
      'Slett eller fas ut berre når eininga ikkje kan finnast att, skal leverast tilbake eller skal brukast av ein annan elev.',
      'På stadfestingssida må du skrive inn serienummeret til eininga og ei grunngiving. Utan begge blir handlinga avvist.',
      'Handlinga blir loggført: kven, kva, kva for eining, kvifor og resultatet.',
      'Snakk med IT-tenesta før du slettar mange einingar samstundes.',
    ),
    h('5. Kven du kontaktar'),
    p(`IT-tenesta i ${f.municipality}: ${contactLine(f.contact, { email: 'e-post', phone: 'telefon' })}.`),
    p(
      'Kontakt IT-tenesta med ein gong dersom ei eining med elevdata er stolen, eller dersom du ser handlingar i loggen som du ikkje kjenner att.',
    ),
  ],
}

const en: StartPackTexts = {
  letterTitle: (f) => `Welcome to the tablet service – start pack for ${f.school}`,
  letter: (f) => [
    p(
      `${f.school} is now registered in the municipality's shared service for managing tablets and laptops. The school gets the same structure and the same service as the other schools in ${f.municipality}, and you can look after your own devices without being experts in mobile device management (MDM).`,
    ),
    h('What the school gets'),
    ul(
      `Its own view in the tablet console, with the school's devices from ${list(
        f.vendors.map((v) => VENDOR_NAMES.en[v]),
        'and',
      )}.`,
      'Locking devices, putting them in lost mode, locating and restarting them.',
      'Reports on devices that are not compliant, run an outdated operating system or have not checked in for 30 days.',
      "Exports of device lists and a log of every action concerning the school's devices.",
    ),
    h('Getting started'),
    ul(
      `Go to ${f.consoleUrl} and log in with Ansattporten.`,
      "Read the administrator's guide that comes with this letter.",
      f.administrators.length > 0
        ? `These people are registered as the school's administrators: ${list(f.administrators, 'and')}.`
        : "Tell the IT service who are to be the school's administrators.",
    ),
    h('Contact'),
    p(
      `Questions about the service go to the IT service: ${contactLine(f.contact, { email: 'email', phone: 'phone' })}.`,
    ),
  ],
  guideTitle: "Administrator's guide to the tablet console",
  guideSubtitle: (f) => `${f.school} · ${f.municipality} · ${f.date}`,
  guideRunningHeader: (f) => `Administrator's guide · ${f.school}`,
  guide: (f) => [
    p(
      `This guide is for you as an administrator of the devices at ${f.school}. It explains how to log in, what you can do in the console, and the rules for actions that cannot be undone.`,
    ),
    h('1. Logging in with Ansattporten'),
    p(
      `The console is at ${f.consoleUrl}. You log in with Ansattporten, the public sector's login for employees, using BankID or another approved eID.`,
    ),
    p(
      "Your access is tied to you as a person and to the schools you administer. You see only your own school's devices and log entries; the central IT service sees every school. Log out when you are done, especially on shared computers.",
    ),
    h('2. What the console can do'),
    p(
      `The school has devices from ${list(
        f.vendors.map((v) => VENDOR_NAMES.en[v]),
        'and',
      )}. All appear in one list.`,
    ),
    ul(
      "See the school's devices, filter by platform, class, compliance and last check-in, and search by serial number.",
      'Open a device and see the history of actions on it.',
      'Lock a device with a message and a phone number, restart it, locate it or clear its passcode.',
      'Put a device in lost mode and take it out again.',
      'Wipe or retire a device (see the rules below).',
      'Apply one action to several devices at once, with a result for each device.',
      "Export the device list and the school's action log as CSV, and see the compliance report.",
    ),
    h('3. Lost mode'),
    p(
      'When a device is lost or stolen, put it in lost mode. The device locks and shows the message and phone number you enter, so that whoever finds it can return it. The command is queued and carried out the next time the device is online; the console shows when it has completed.',
    ),
    p(
      'While the device is in lost mode you can request its location. Turn lost mode off as soon as the device is found. Where a platform has no lost mode, a lock with a message is used instead.',
    ),
    h('4. Wiping and retiring'),
    p(
      'Wiping erases all content and resets the device. Retiring removes the device from management. Neither can be undone, and data not stored in the cloud is lost.',
    ),
    ul(
      'Wipe or retire only when a device cannot be recovered, is to be returned, or is to be used by another pupil.',
      'On the confirmation page you must type the serial number of the device and a reason. Without both the action is refused.',
      'The action is logged: who, what, which device, why and the outcome.',
      'Talk to the IT service before wiping many devices at once.',
    ),
    h('5. Who to contact'),
    p(`The IT service of ${f.municipality}: ${contactLine(f.contact, { email: 'email', phone: 'phone' })}.`),
    p(
      'Contact the IT service at once if a device holding pupil data is stolen, or if you see actions in the log that you do not recognise.',
    ),
  ],
}

export const START_PACK_TEXTS: Readonly<Record<DocumentLanguage, StartPackTexts>> = { nb, nn, en }
