export {
  contentSecurityPolicy,
  createWebApp,
  loginErrorPage,
  type NavItem,
  type RenderOptions,
  type RequireOptions,
  type WebApp,
  type WebAppOptions,
  type WebEnv,
  type WebVariables,
} from './app.js'
export { type Asset, stylesheets, type Theme } from './assets.js'
export {
  type Auth,
  type ClientUris,
  type CreateAuthOptions,
  clientUris,
  createAuth,
  fromMockClient,
  type IdentityOptions,
  identityFromEnv,
  type MockClientLike,
  mockRegistration,
  type Product,
  type RegisteredClient,
} from './auth.js'
export { html, type SafeHtml, trusted } from './html.js'
export {
  type Catalogue,
  createI18n,
  type I18n,
  isLang,
  LANG_NAMES,
  LANGS,
  type Lang,
  type SharedKey,
  type Translate,
} from './i18n.js'
export { createLogger, type LogEntry, type Logger, type LogSink, silentSink, stdoutSink } from './logger.js'
export { type Listening, listen, type Served, type ServeOptions, serve } from './serve.js'
export { SqlSessionStore, type SqlSessionStoreOptions } from './session-store.js'
