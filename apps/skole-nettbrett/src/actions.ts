import { randomUUID } from 'node:crypto'
import { type ActionResult, type ActionType, DeviceAction, isDestructive } from '@felles/mdm'
import type { Database } from '@felles/sample-municipality'
import {
  type AuditStart,
  beginAuditMany,
  completeAudit,
  findDevices,
  openCommands,
  setCommandState,
  setDeviceLostMode,
} from '@felles/sample-municipality/schools'
import type { Kysely } from 'kysely'
import { ConsoleError } from './errors.js'
import type { Fleet } from './mdm-connection.js'

/** Who is acting: the employee's stable id in this app (never a fødselsnummer), name and role. */
export interface Actor {
  readonly id: string
  readonly name: string
  readonly role: 'central-it' | 'school-admin'
  /** The schools this actor may administer. */
  readonly schoolIds: readonly string[]
}

/** An action asked for through the console. */
export interface ActionRequest {
  readonly schoolId: string
  readonly deviceIds: readonly string[]
  readonly action: DeviceAction
  /** Why (audited). At least 5 characters for wipe and retire, 3 for the rest. */
  readonly reason: string
  /** Wipe and retire: the serial number as typed by the administrator; must match the device's. */
  readonly confirmSerial?: string | undefined
}

/** One device's result, as shown and audited. */
export interface DeviceActionResult extends ActionResult {
  readonly auditId: string
  readonly serialNumber: string | null
}

/** Largest selection of a bulk action. */
export const MAX_BULK = 500

const normaliseSerial = (s: string | null | undefined): string => (s ?? '').trim().toUpperCase()

/** The console's device actions: scoped to the actor's schools, validated, and audited before and after. */
export interface ActionService {
  perform(actor: Actor, request: ActionRequest): Promise<DeviceActionResult[]>
  /** Asks the vendors about queued commands of a school (optionally one device) and records their state. */
  refreshCommands(actor: Actor, schoolId: string, deviceId?: string): Promise<number>
}

/** Options of {@link createActionService}. */
export interface ActionServiceOptions {
  readonly db: Kysely<Database>
  readonly fleet: Fleet
  readonly now?: () => Date
}

/**
 * Creates the action service. The school boundary is enforced here before
 * `@felles/mdm` enforces it again against the vendor: a device id outside the
 * actor's school is refused exactly like a missing one, and the attempt is
 * audited. Every action gets an audit entry (`pending`) before the vendor is
 * called, completed with the vendor's answer, so an outage loses no entry.
 */
export function createActionService(options: ActionServiceOptions): ActionService {
  const { db, fleet } = options
  const now = options.now ?? (() => new Date())

  const checkSchool = (actor: Actor, schoolId: string): void => {
    if (!actor.schoolIds.includes(schoolId)) throw new ConsoleError('ERR_NOT_FOUND', 'No such school')
  }

  return {
    async perform(actor, request) {
      checkSchool(actor, request.schoolId)
      const parsed = DeviceAction.safeParse(request.action)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw new ConsoleError('ERR_VALIDATION', 'The action is not valid', {
          field: issue?.path.join('.') || 'action',
        })
      }
      const action = parsed.data
      const type: ActionType = action.type
      const ids = [...new Set(request.deviceIds)]
      if (ids.length === 0)
        throw new ConsoleError('ERR_VALIDATION', 'Choose at least one device', { field: 'devices' })
      if (ids.length > MAX_BULK)
        throw new ConsoleError('ERR_VALIDATION', `At most ${MAX_BULK} devices at once`, { field: 'devices' })
      const reason = request.reason.trim()
      const destructive = isDestructive(type)
      if (reason.length < (destructive ? 5 : 3) || reason.length > 500)
        throw new ConsoleError('ERR_VALIDATION', 'A reason is required', { field: 'reason' })
      if (destructive && ids.length !== 1)
        throw new ConsoleError('ERR_VALIDATION', 'Wipe and retire are done one device at a time', {
          field: 'devices',
        })

      const rows = new Map((await findDevices(db, request.schoolId, ids)).map((r) => [r.id, r]))
      if (destructive) {
        const row = rows.get(ids[0] as string)
        // Checked before anything is sent; a device outside the school never gets here.
        if (row === undefined) throw new ConsoleError('ERR_NOT_FOUND', 'No such device')
        if (
          normaliseSerial(request.confirmSerial) === '' ||
          normaliseSerial(request.confirmSerial) !== normaliseSerial(row.serial_number)
        ) {
          throw new ConsoleError('ERR_VALIDATION', 'The serial number does not match the device', {
            field: 'confirmSerial',
          })
        }
      }

      const bulkId = ids.length > 1 ? randomUUID() : null
      const entries: (AuditStart & { known: boolean })[] = ids.map((id) => {
        const row = rows.get(id)
        return {
          id: randomUUID(),
          schoolId: request.schoolId,
          actorId: actor.id,
          actorName: actor.name,
          actorRole: actor.role,
          action: type,
          // An id outside the school is kept only as the caller sent it (it reveals nothing new to them).
          deviceId: id.slice(0, 300),
          deviceSerial: row?.serial_number ?? null,
          reason,
          bulkId,
          known: row !== undefined,
        }
      })
      await beginAuditMany(db, entries, now())

      const results: DeviceActionResult[] = new Array(entries.length)
      const known = entries.filter((e) => e.known)
      for (const [index, e] of entries.entries()) {
        if (!e.known) {
          const refused: ActionResult = {
            deviceId: e.deviceId,
            action: type,
            outcome: 'refused',
            reason: 'No such device in this school',
            errorCode: 'ERR_MDM_NOT_FOUND',
          }
          await completeAudit(
            db,
            e.id,
            { outcome: 'refused', errorCode: 'ERR_MDM_NOT_FOUND', errorMessage: refused.reason },
            now(),
          )
          results[index] = { ...refused, auditId: e.id, serialNumber: null }
        }
      }
      if (known.length > 0) {
        const view = fleet.client().forSchool(request.schoolId)
        let answers: ActionResult[]
        try {
          answers =
            known.length === 1
              ? [await view.act(known[0]!.deviceId, action, { reason })]
              : await view.actMany(
                  known.map((e) => e.deviceId),
                  action,
                  { reason },
                )
        } catch (error) {
          // Not a vendor answer (those come back as results): record the failure, then report it.
          for (const e of known) {
            await completeAudit(
              db,
              e.id,
              {
                outcome: 'failed',
                errorCode: 'ERR_INTERNAL',
                errorMessage: 'The action could not be completed',
              },
              now(),
            )
          }
          throw error
        }
        const byId = new Map(answers.map((a) => [a.deviceId, a]))
        for (const [index, e] of entries.entries()) {
          if (!e.known) continue
          const answer: ActionResult = byId.get(e.deviceId) ?? {
            deviceId: e.deviceId,
            action: type,
            outcome: 'failed',
            reason: 'No answer',
            errorCode: 'ERR_MDM_UNAVAILABLE',
          }
          await completeAudit(
            db,
            e.id,
            {
              outcome: answer.outcome,
              commandId: answer.commandId ?? null,
              errorCode: answer.errorCode ?? null,
              errorMessage: answer.reason ?? null,
            },
            now(),
          )
          results[index] = { ...answer, auditId: e.id, serialNumber: e.deviceSerial }
        }
      }
      return results
    },

    async refreshCommands(actor, schoolId, deviceId) {
      checkSchool(actor, schoolId)
      const open = (await openCommands(db, [schoolId])).filter(
        (row) => deviceId === undefined || row.device_id === deviceId,
      )
      const view = fleet.client().forSchool(schoolId)
      let changed = 0
      for (const row of open) {
        try {
          const state = await view.commandState(row.device_id, row.vendor_command_id as string)
          if (state !== row.command_state) {
            await setCommandState(db, row.id, state, now())
            // Lost mode is the device's state once the command is carried out (the next sync confirms it).
            if (
              state === 'completed' &&
              (row.action === 'enableLostMode' || row.action === 'disableLostMode')
            ) {
              await setDeviceLostMode(db, schoolId, row.device_id, row.action === 'enableLostMode')
            }
            changed++
          }
        } catch {
          // The vendor is unreachable or the device gone: try again next time.
        }
      }
      return changed
    },
  }
}
