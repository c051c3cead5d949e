export { type BackoffOptions, fullJitterDelay } from './backoff.js'
export {
  type Classification,
  type Classifier,
  type ClassifyInput,
  combineClassifiers,
  defaultClassifier,
  googleClassifier,
  jamfSchoolClassifier,
  type Verdict,
} from './classify.js'
export {
  type BodyFactory,
  createHttpClient,
  type FetchLike,
  type HttpClient,
  type HttpClientOptions,
  type HttpEventBase,
  type HttpHooks,
  type HttpResult,
  type QueryValue,
  type RateLimitOptions,
  type RateLimitWaitEvent,
  type RequestEvent,
  type RequestOptions,
  type ResponseEvent,
  type RetryBudgetOptions,
  type RetryEvent,
  type RetryOptions,
  type TokenProvider,
  type TokenRequest,
} from './client.js'
export { type Clock, systemClock } from './clock.js'
export {
  DEFAULT_REQUEST_ID_HEADERS,
  HttpError,
  type HttpErrorCode,
  type HttpErrorJSON,
  type HttpErrorOptions,
  isHttpError,
  type RequestSent,
} from './errors.js'
export { type Page, type PageContext, type PaginateOptions, paginate } from './paginate.js'
export { isSensitiveHeader, REDACTED, redactHeaders, redactText, redactUrl } from './redact.js'
export { parseHttpDate, type ServerRetryDelayOptions, serverRetryDelay } from './retry-after.js'
export {
  createTokenCache,
  type FetchedToken,
  type FetchToken,
  type TokenCache,
  type TokenCacheOptions,
  type TokenGetOptions,
} from './token-cache.js'
