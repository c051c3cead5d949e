/** The languages of the sample apps: bokmål, nynorsk, English and North Sami (where texts exist). */
export type Lang = 'nb' | 'nn' | 'en' | 'se'

/** Every language, in the order the language switch shows them. */
export const LANGS: readonly Lang[] = ['nb', 'nn', 'en', 'se']

/** Each language's name in that language (for the language switch). */
export const LANG_NAMES: Readonly<Record<Lang, string>> = {
  nb: 'Bokmål',
  nn: 'Nynorsk',
  en: 'English',
  se: 'Davvisámegiella',
}

/** Whether a value is one of {@link LANGS}. */
export function isLang(value: unknown): value is Lang {
  return value === 'nb' || value === 'nn' || value === 'en' || value === 'se'
}

/**
 * A message catalogue: bokmål is complete (it defines the keys); nynorsk and
 * English must be complete too; North Sami is optional and may be partial
 * (missing keys fall back to bokmål). Texts may hold `{name}` placeholders.
 */
export interface Catalogue<K extends string> {
  readonly nb: Readonly<Record<K, string>>
  readonly nn: Readonly<Record<K, string>>
  readonly en: Readonly<Record<K, string>>
  readonly se?: Readonly<Partial<Record<K, string>>>
}

/** Translates a key in one language. */
export type Translate<K extends string = string> = (
  key: K,
  params?: Readonly<Record<string, string | number>>,
) => string

/** What {@link createI18n} returns. */
export interface I18n<K extends string> {
  /** Languages with texts: nb, nn, en, and se when the catalogue has North Sami texts. */
  readonly languages: readonly Lang[]
  /** A translator for one language (unknown languages fall back to bokmål). */
  translator(lang: Lang): Translate<K>
  /** The language to use: `candidate` when it has texts, else bokmål. */
  pick(candidate: string | undefined | null): Lang
}

/**
 * Builds the translator of an app from its catalogue merged over the kit's shared texts.
 *
 * @param catalogue - The app's texts.
 * @returns The translator factory.
 * @example
 * ```ts
 * const i18n = createI18n({ nb: { hello: 'Hei {name}' }, nn: { hello: 'Hei {name}' }, en: { hello: 'Hi {name}' } })
 * i18n.translator('en')('hello', { name: 'Kari' }) // 'Hi Kari'
 * ```
 */
export function createI18n<K extends string>(catalogue: Catalogue<K>): I18n<K | SharedKey> {
  const merged: Record<Lang, Record<string, string>> = {
    nb: { ...SHARED.nb, ...catalogue.nb },
    nn: { ...SHARED.nn, ...catalogue.nn },
    en: { ...SHARED.en, ...catalogue.en },
    se: { ...SHARED.se, ...(catalogue.se ?? {}) } as Record<string, string>,
  }
  const hasSami = catalogue.se !== undefined && Object.keys(catalogue.se).length > 0
  const languages: Lang[] = hasSami ? ['nb', 'nn', 'en', 'se'] : ['nb', 'nn', 'en']
  const cache = new Map<Lang, Translate<K | SharedKey>>()
  return {
    languages,
    translator(lang) {
      const found = cache.get(lang)
      if (found !== undefined) return found
      const table = merged[lang] ?? merged.nb
      const t: Translate<K | SharedKey> = (key, params) => {
        const text = table[key] ?? merged.nb[key] ?? key
        if (params === undefined) return text
        return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
          params[name] === undefined ? whole : String(params[name]),
        )
      }
      cache.set(lang, t)
      return t
    },
    pick(candidate) {
      return isLang(candidate) && languages.includes(candidate) ? candidate : 'nb'
    },
  }
}

/** Keys of the kit's shared texts (layout, errors, session). */
export type SharedKey = keyof typeof SHARED_NB

const SHARED_NB = {
  'kit.skipLink': 'Hopp til hovedinnhold',
  'kit.language': 'Språk',
  'kit.menu': 'Hovedmeny',
  'kit.logout': 'Logg ut',
  'kit.login': 'Logg inn',
  'kit.footer.contact': 'Kontakt kommunen: 55 55 55 55, postmottak@kommune.example',
  'kit.footer.privacy': 'Personvern og informasjonskapsler',
  'kit.footer.accessibility': 'Tilgjengelighetserklæring',
  'kit.footer.demo': 'Demonstrasjonstjeneste med syntetiske testpersoner. Ingen ekte personopplysninger.',
  'kit.error.404.title': 'Fant ikke siden',
  'kit.error.404.text':
    'Siden finnes ikke, eller du har ikke tilgang til den. Sjekk adressen, eller gå til forsiden.',
  'kit.error.500.title': 'Noe gikk galt',
  'kit.error.500.text': 'Vi klarte ikke å vise siden nå. Prøv igjen om litt. Feilen er registrert.',
  'kit.error.413.title': 'Filen er for stor',
  'kit.error.413.text':
    'Det du sendte er større enn tjenesten tar imot. Gå tilbake og prøv med en mindre fil.',
  'kit.error.403.title': 'Forespørselen ble avvist',
  'kit.error.403.text': 'Forespørselen kom ikke fra denne tjenesten. Gå tilbake og prøv igjen.',
  'kit.error.expired.title': 'Økten er utløpt',
  'kit.error.expired.text':
    'Du har vært inaktiv en stund, eller økten har vart for lenge, så vi har logget deg ut for å beskytte opplysningene dine.',
  'kit.error.home': 'Til forsiden',
  'kit.error.reference': 'Referanse for kundeservice: {ref}',
} as const

const SHARED: {
  nb: Record<SharedKey, string>
  nn: Record<SharedKey, string>
  en: Record<SharedKey, string>
  se: Partial<Record<SharedKey, string>>
} = {
  nb: SHARED_NB,
  nn: {
    'kit.skipLink': 'Hopp til hovudinnhaldet',
    'kit.language': 'Språk',
    'kit.menu': 'Hovudmeny',
    'kit.logout': 'Logg ut',
    'kit.login': 'Logg inn',
    'kit.footer.contact': 'Kontakt kommunen: 55 55 55 55, postmottak@kommune.example',
    'kit.footer.privacy': 'Personvern og informasjonskapslar',
    'kit.footer.accessibility': 'Tilgjengelegheitserklæring',
    'kit.footer.demo': 'Demonstrasjonsteneste med syntetiske testpersonar. Ingen ekte personopplysningar.',
    'kit.error.404.title': 'Fann ikkje sida',
    'kit.error.404.text':
      'Sida finst ikkje, eller du har ikkje tilgang til henne. Sjekk adressa, eller gå til framsida.',
    'kit.error.500.title': 'Noko gjekk gale',
    'kit.error.500.text': 'Vi klarte ikkje å vise sida no. Prøv igjen om litt. Feilen er registrert.',
    'kit.error.413.title': 'Fila er for stor',
    'kit.error.413.text':
      'Det du sende er større enn tenesta tek imot. Gå tilbake og prøv med ei mindre fil.',
    'kit.error.403.title': 'Førespurnaden vart avvist',
    'kit.error.403.text': 'Førespurnaden kom ikkje frå denne tenesta. Gå tilbake og prøv igjen.',
    'kit.error.expired.title': 'Økta er utgått',
    'kit.error.expired.text':
      'Du har vore inaktiv ei stund, eller økta har vart for lenge, så vi har logga deg ut for å verne opplysningane dine.',
    'kit.error.home': 'Til framsida',
    'kit.error.reference': 'Referanse for kundeservice: {ref}',
  },
  en: {
    'kit.skipLink': 'Skip to main content',
    'kit.language': 'Language',
    'kit.menu': 'Main menu',
    'kit.logout': 'Log out',
    'kit.login': 'Log in',
    'kit.footer.contact': 'Contact the municipality: +47 55 55 55 55, postmottak@kommune.example',
    'kit.footer.privacy': 'Privacy and cookies',
    'kit.footer.accessibility': 'Accessibility statement',
    'kit.footer.demo': 'Demonstration service with synthetic test persons. No real personal data.',
    'kit.error.404.title': 'Page not found',
    'kit.error.404.text':
      'The page does not exist, or you do not have access to it. Check the address, or go to the front page.',
    'kit.error.500.title': 'Something went wrong',
    'kit.error.500.text':
      'We could not show the page right now. Please try again shortly. The error has been logged.',
    'kit.error.413.title': 'The file is too large',
    'kit.error.413.text':
      'What you sent is larger than this service accepts. Go back and try a smaller file.',
    'kit.error.403.title': 'The request was refused',
    'kit.error.403.text': 'The request did not come from this service. Go back and try again.',
    'kit.error.expired.title': 'Your session has expired',
    'kit.error.expired.text':
      'You have been inactive for a while, or the session has lasted too long, so we logged you out to protect your information.',
    'kit.error.home': 'To the front page',
    'kit.error.reference': 'Reference for customer service: {ref}',
  },
  se: {
    'kit.skipLink': 'Njuikes váldosisdollui',
    'kit.language': 'Giella',
    'kit.logout': 'Čálit olggos',
    'kit.login': 'Čálit sisa',
    'kit.error.home': 'Ovdasiidui',
  },
}
