import { z } from 'zod'

const Message = z.string().trim().min(1).max(200)
const PhoneNumber = z
  .string()
  .regex(/^\+?[0-9 ]{3,20}$/, 'a phone number of digits, spaces and an optional +')

/** An action on a device, in the common model. */
export type DeviceAction =
  | { type: 'sync' }
  | { type: 'restart' }
  | { type: 'shutdown' }
  | { type: 'lock'; message?: string | undefined; phoneNumber?: string | undefined; pin?: string | undefined }
  | { type: 'enableLostMode'; message: string; phoneNumber?: string | undefined }
  | { type: 'disableLostMode' }
  | { type: 'locate' }
  | { type: 'clearPasscode' }
  | { type: 'wipe' }
  | { type: 'retire' }
  | { type: 'disable' }
  | { type: 'reenable' }

/** Zod schema of {@link DeviceAction}: messages at most 200 characters, phone numbers, six-digit PINs. */
export const DeviceAction: z.ZodType<DeviceAction> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sync') }).strict(),
  z.object({ type: z.literal('restart') }).strict(),
  z.object({ type: z.literal('shutdown') }).strict(),
  z
    .object({
      type: z.literal('lock'),
      message: Message.optional(),
      phoneNumber: PhoneNumber.optional(),
      /** A six-digit PIN for macOS lock; ignored elsewhere. */
      pin: z
        .string()
        .regex(/^\d{6}$/, 'six digits')
        .optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('enableLostMode'), message: Message, phoneNumber: PhoneNumber.optional() })
    .strict(),
  z.object({ type: z.literal('disableLostMode') }).strict(),
  z.object({ type: z.literal('locate') }).strict(),
  z.object({ type: z.literal('clearPasscode') }).strict(),
  z.object({ type: z.literal('wipe') }).strict(),
  z.object({ type: z.literal('retire') }).strict(),
  z.object({ type: z.literal('disable') }).strict(),
  z.object({ type: z.literal('reenable') }).strict(),
])

/** The type names of {@link DeviceAction}. */
export type ActionType = DeviceAction['type']

/** Every action type, in a stable order (for capability tables). */
export const ACTION_TYPES: readonly ActionType[] = [
  'sync',
  'restart',
  'shutdown',
  'lock',
  'enableLostMode',
  'disableLostMode',
  'locate',
  'clearPasscode',
  'wipe',
  'retire',
  'disable',
  'reenable',
]

/**
 * Actions that destroy data or remove management. They need a reason, re-fetch
 * the device and check its school first, support dry-run, and are never retried
 * automatically.
 */
export const DESTRUCTIVE_ACTIONS: ReadonlySet<ActionType> = new Set<ActionType>(['wipe', 'retire'])

/**
 * Whether an action is destructive (see {@link DESTRUCTIVE_ACTIONS}).
 *
 * @param type - The action type.
 * @returns `true` for wipe and retire.
 */
export function isDestructive(type: ActionType): boolean {
  return DESTRUCTIVE_ACTIONS.has(type)
}

/** What happened to an action request. */
export type ActionOutcome =
  /** The vendor accepted the command; the device carries it out at its next check-in. */
  | 'queued'
  /** The vendor reports the action done (rare: mostly server-side actions like disable). */
  | 'completed'
  /** Dry run: everything was checked, nothing was sent. */
  | 'dry-run'
  | 'failed'
  | 'refused'

/** The result of one action on one device. */
export interface ActionResult {
  readonly deviceId: string
  readonly action: ActionType
  readonly outcome: ActionOutcome
  /** The vendor's command id where it gives one, to follow up with `actionStatus`. */
  readonly commandId?: string
  /** Why it failed or was refused (no personal data). */
  readonly reason?: string
  /** The normalised error code when it failed or was refused. */
  readonly errorCode?: string
}
