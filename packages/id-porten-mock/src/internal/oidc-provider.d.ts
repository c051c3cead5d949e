// A deliberately small description of the parts of oidc-provider v9 this
// package uses. oidc-provider ships no type declarations, and none of these
// types appear in the package's public API.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface KoaContext {
    method: string
    path: string
    status: number
    body: unknown
    type: string
    // biome-ignore lint/suspicious/noExplicitAny: oidc-provider's context is untyped
    oidc: any
    req: IncomingMessage
    res: ServerResponse
    state: Record<string, unknown>
    get(field: string): string
    set(field: string, value: string): void
    remove(field: string): void
    response: { get(field: string): string | string[] | undefined }
    // biome-ignore lint/suspicious/noExplicitAny: untyped
    [key: string]: any
  }

  export type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    issuer: string
    // biome-ignore lint/suspicious/noExplicitAny: untyped models
    Client: any
    // biome-ignore lint/suspicious/noExplicitAny: untyped models
    Grant: any
    // biome-ignore lint/suspicious/noExplicitAny: untyped models
    Session: any
    // biome-ignore lint/suspicious/noExplicitAny: untyped models
    AccessToken: any
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>
    use(middleware: Middleware): this
    registerGrantType(
      name: string,
      handler: (ctx: KoaContext) => Promise<void>,
      params?: string | readonly string[],
      dupes?: string | readonly string[],
    ): void
    // biome-ignore lint/suspicious/noExplicitAny: untyped interaction
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<any>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    // biome-ignore lint/suspicious/noExplicitAny: event listeners
    on(event: string, listener: (...args: any[]) => void): this
  }

  export class Check {
    constructor(
      reason: string,
      description: string,
      check: (ctx: KoaContext) => boolean | Promise<boolean>,
      details?: (ctx: KoaContext) => Record<string, unknown>,
    )
    static REQUEST_PROMPT: true
    static NO_NEED_TO_PROMPT: false
  }

  export interface PromptPolicy
    extends Array<{ name: string; checks: Check[] & { add(check: Check, i?: number): void } }> {
    get(name: string): { name: string; checks: Check[] & { add(check: Check, i?: number): void } } | undefined
  }

  export const interactionPolicy: {
    Check: typeof Check
    base(): PromptPolicy
  }

  export const errors: {
    [name: string]: new (description?: string, detail?: string) => Error & { status: number; error: string }
  }

  export default Provider
}
