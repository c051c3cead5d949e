import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { MdmAdapter } from '../adapter.js'
import { createGoogleAdapter } from '../adapters/google.js'
import { createIntuneAdapter } from '../adapters/intune.js'
import { createJamfProAdapter } from '../adapters/jamf-pro.js'
import { createJamfSchoolAdapter } from '../adapters/jamf-school.js'
import { School } from '../schools.js'

// A secret is written inline or, better, as { "env": "NAME" } so the file holds no secret.
type Secret = string | { env: string }
const Secret: z.ZodType<Secret> = z.union([z.string().min(1), z.object({ env: z.string().min(1) }).strict()])

const ConfigSchema: z.ZodType<MdmConfigFile> = z
  .object({
    schools: z.array(School).min(1),
    intune: z
      .object({
        tenantId: z.string(),
        clientId: z.string(),
        clientSecret: Secret,
        graphUrl: z.string().url().optional(),
        tokenUrl: z.string().url().optional(),
        scopeBy: z.enum(['category', 'scopeTag']).optional(),
      })
      .strict()
      .optional(),
    jamfPro: z
      .object({ serverUrl: z.string().url(), clientId: z.string(), clientSecret: Secret })
      .strict()
      .optional(),
    jamfSchool: z
      .object({
        baseUrl: z.string().url(),
        networkId: z.string(),
        apiKey: Secret,
        protocolVersion: z.string().optional(),
      })
      .strict()
      .optional(),
    google: z
      .object({
        serviceAccountFile: z.string(),
        adminEmail: z.string().email(),
        customerId: z.string().optional(),
        apiUrl: z.string().url().optional(),
        tokenUrl: z.string().url().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
/** The `felles-mdm` configuration file. */
export interface MdmConfigFile {
  schools: School[]
  intune?:
    | {
        tenantId: string
        clientId: string
        clientSecret: Secret
        graphUrl?: string | undefined
        tokenUrl?: string | undefined
        scopeBy?: 'category' | 'scopeTag' | undefined
      }
    | undefined
  jamfPro?: { serverUrl: string; clientId: string; clientSecret: Secret } | undefined
  jamfSchool?:
    | { baseUrl: string; networkId: string; apiKey: Secret; protocolVersion?: string | undefined }
    | undefined
  google?:
    | {
        serviceAccountFile: string
        adminEmail: string
        customerId?: string | undefined
        apiUrl?: string | undefined
        tokenUrl?: string | undefined
      }
    | undefined
}

function secret(value: Secret, field: string, env: NodeJS.ProcessEnv): string {
  if (typeof value === 'string') return value
  const found = env[value.env]
  if (found === undefined || found === '')
    throw new TypeError(`${field}: environment variable ${value.env} is not set`)
  return found
}

/** Reads and validates a configuration file; errors name the field, never a secret's value. */
export function loadConfig(path: string): MdmConfigFile {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new TypeError(`Could not read the configuration file ${path}: ${(error as Error).message}`)
  }
  const parsed = ConfigSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new TypeError(`${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

/** Builds the adapters a configuration names. */
export function adaptersFrom(config: MdmConfigFile, env: NodeJS.ProcessEnv = process.env): MdmAdapter[] {
  const adapters: MdmAdapter[] = []
  if (config.intune) {
    const c = config.intune
    adapters.push(
      createIntuneAdapter({
        tenantId: c.tenantId,
        clientId: c.clientId,
        clientSecret: secret(c.clientSecret, 'intune.clientSecret', env),
        ...(c.graphUrl ? { graphUrl: c.graphUrl } : {}),
        ...(c.tokenUrl ? { tokenUrl: c.tokenUrl } : {}),
        ...(c.scopeBy ? { scopeBy: c.scopeBy } : {}),
      }),
    )
  }
  if (config.jamfPro) {
    const c = config.jamfPro
    adapters.push(
      createJamfProAdapter({
        serverUrl: c.serverUrl,
        clientId: c.clientId,
        clientSecret: secret(c.clientSecret, 'jamfPro.clientSecret', env),
      }),
    )
  }
  if (config.jamfSchool) {
    const c = config.jamfSchool
    adapters.push(
      createJamfSchoolAdapter({
        baseUrl: c.baseUrl,
        networkId: c.networkId,
        apiKey: secret(c.apiKey, 'jamfSchool.apiKey', env),
        ...(c.protocolVersion ? { protocolVersion: c.protocolVersion } : {}),
      }),
    )
  }
  if (config.google) {
    const c = config.google
    const serviceAccount = JSON.parse(readFileSync(c.serviceAccountFile, 'utf8')) as {
      client_email: string
      private_key: string
      token_uri?: string
    }
    adapters.push(
      createGoogleAdapter({
        serviceAccount,
        adminEmail: c.adminEmail,
        ...(c.customerId ? { customerId: c.customerId } : {}),
        ...(c.apiUrl ? { apiUrl: c.apiUrl } : {}),
        ...(c.tokenUrl ? { tokenUrl: c.tokenUrl } : {}),
      }),
    )
  }
  return adapters
}
