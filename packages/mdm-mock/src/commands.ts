import type { VendorKey, World } from './world.js'

/** Vendor-neutral meaning of a queued command. */
export type CommandKind =
  | 'sync'
  | 'restart'
  | 'shutdown'
  | 'lock'
  | 'lostModeOn'
  | 'lostModeOff'
  | 'locate'
  | 'playSound'
  | 'clearPasscode'
  | 'wipe'
  | 'retire'
  | 'unenroll'
  | 'deviceInformation'
  | 'settings'
  | 'wipeUsers'
  | 'screenshot'
  | 'setVolume'
  | 'other'

/** Lifecycle of a command: queued until the device checks in. */
export type CommandStatus = 'pending' | 'completed' | 'failed' | 'expired' | 'canceled'

/** A command the emulator queued for a device. */
export interface MockCommand {
  /** Vendor command id (UUID for Jamf Pro, numeric string for Google, synthetic for the others). */
  readonly id: string
  readonly vendor: VendorKey
  readonly deviceIndex: number
  readonly kind: CommandKind
  /** The vendor's own name: `remoteLock`, `DEVICE_LOCK`, `REMOTE_POWERWASH`, `wipe`. */
  readonly vendorType: string
  readonly params: Readonly<Record<string, unknown>>
  readonly queuedAt: number
  status: CommandStatus
  completedAt?: number
  /** Why the device refused it (e.g. not supervised). */
  error?: string
  /** Commands that expire (Google) stop being deliverable at this time. */
  readonly expiresAt?: number
}

// Apple MDM requirements (../shared/specs/mdm/apple-mdm-commands): commands the
// device refuses unless supervised, and those that need lost mode first.
const APPLE_SUPERVISED: ReadonlySet<CommandKind> = new Set([
  'restart',
  'shutdown',
  'lostModeOn',
  'lostModeOff',
  'locate',
  'playSound',
])
const APPLE_NEEDS_LOST_MODE: ReadonlySet<CommandKind> = new Set(['locate', 'playSound', 'lostModeOff'])

/** Apple command requirements used by the emulator, exported so tests can compare them with Apple's published definitions. */
export const APPLE_COMMAND_REQUIREMENTS: Readonly<Record<string, { supervised: boolean }>> = {
  DeviceLock: { supervised: false },
  EraseDevice: { supervised: false },
  ClearPasscode: { supervised: false },
  RestartDevice: { supervised: true },
  ShutDownDevice: { supervised: true },
  EnableLostMode: { supervised: true },
  DisableLostMode: { supervised: true },
  DeviceLocation: { supervised: true },
  PlayLostModeSound: { supervised: true },
  DeviceInformation: { supervised: false },
  Settings: { supervised: false },
}

/** Listener for command state changes. */
export type CommandListener = (command: Readonly<MockCommand>) => void

/**
 * Commands wait in a per-device queue and are delivered at the device's next
 * check-in on the emulator clock (or at an explicit `checkIn`). Settlement is
 * lazy: it runs whenever the emulator is asked anything, so no timers run.
 */
export class CommandQueue {
  private readonly all = new Map<string, MockCommand>()
  private readonly pending = new Map<number, MockCommand[]>()
  private readonly byDevice = new Map<number, MockCommand[]>()
  private readonly listeners = new Set<CommandListener>()
  private counter = 0

  private readonly world: World
  private readonly now: () => number

  constructor(world: World, now: () => number) {
    this.world = world
    this.now = now
  }

  /** Queues a command and returns it. */
  enqueue(input: {
    vendor: VendorKey
    deviceIndex: number
    kind: CommandKind
    vendorType: string
    params?: Record<string, unknown>
    id?: string
    expiresAt?: number
  }): MockCommand {
    this.counter++
    const command: MockCommand = {
      id: input.id ?? `cmd-${this.counter}`,
      vendor: input.vendor,
      deviceIndex: input.deviceIndex,
      kind: input.kind,
      vendorType: input.vendorType,
      params: input.params ?? {},
      queuedAt: this.now(),
      status: 'pending',
      ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
    }
    this.all.set(command.id, command)
    push(this.pending, input.deviceIndex, command)
    push(this.byDevice, input.deviceIndex, command)
    this.emit(command)
    return command
  }

  /** Sequence number for vendor id generation. */
  next(): number {
    return this.counter + 1
  }

  /** Looks a command up by id. */
  get(id: string): MockCommand | undefined {
    this.settle()
    return this.all.get(id)
  }

  /** Every command of a device, oldest first (call `settle` first for fresh states). */
  forDevice(index: number): readonly MockCommand[] {
    return this.byDevice.get(index) ?? []
  }

  /** Every command, oldest first, optionally filtered. */
  list(filter: { vendor?: VendorKey; deviceIndex?: number; status?: CommandStatus } = {}): MockCommand[] {
    this.settle()
    const out: MockCommand[] = []
    for (const c of this.all.values()) {
      if (filter.vendor && c.vendor !== filter.vendor) continue
      if (filter.deviceIndex !== undefined && c.deviceIndex !== filter.deviceIndex) continue
      if (filter.status && c.status !== filter.status) continue
      out.push(c)
    }
    return out
  }

  /** Cancels a pending command. */
  cancel(id: string): boolean {
    this.settle()
    const c = this.all.get(id)
    if (c?.status !== 'pending') return false
    c.status = 'canceled'
    c.completedAt = this.now()
    this.removePending(c)
    this.emit(c)
    return true
  }

  /** Subscribes to command changes; returns an unsubscribe function. */
  subscribe(listener: CommandListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Delivers everything due up to now (scheduled check-ins and expiries). */
  settle(): void {
    if (this.pending.size === 0) return
    const now = this.now()
    for (const [index, queue] of [...this.pending]) {
      const first = queue[0]
      if (!first) continue
      const at = this.world.nextCheckIn(index, first.queuedAt)
      if (at <= now) this.deliver(index, at)
      else this.expire(index, now)
    }
  }

  /** The device checks in now: everything queued for it is delivered. */
  checkIn(index: number): MockCommand[] {
    this.settle()
    const now = this.now()
    this.world.markCheckIn(index, now)
    return this.deliver(index, now)
  }

  private expire(index: number, now: number): void {
    const queue = this.pending.get(index)
    if (!queue) return
    for (const c of [...queue]) {
      if (c.expiresAt !== undefined && c.expiresAt <= now) {
        c.status = 'expired'
        c.completedAt = c.expiresAt
        this.removePending(c)
        this.emit(c)
      }
    }
  }

  private deliver(index: number, at: number): MockCommand[] {
    const queue = this.pending.get(index) ?? []
    this.pending.delete(index)
    const done: MockCommand[] = []
    for (const c of queue) {
      if (c.expiresAt !== undefined && c.expiresAt <= at) {
        c.status = 'expired'
        c.completedAt = c.expiresAt
      } else {
        const error = this.apply(c, at)
        c.status = error ? 'failed' : 'completed'
        c.completedAt = at
        if (error) c.error = error
      }
      done.push(c)
      this.emit(c)
    }
    return done
  }

  private removePending(c: MockCommand): void {
    const queue = this.pending.get(c.deviceIndex)
    if (!queue) return
    const rest = queue.filter((x) => x !== c)
    if (rest.length === 0) this.pending.delete(c.deviceIndex)
    else this.pending.set(c.deviceIndex, rest)
  }

  private emit(c: MockCommand): void {
    for (const l of this.listeners) l(c)
  }

  /** Applies a delivered command to the world; returns an error text when the device refuses it. */
  private apply(c: MockCommand, at: number): string | undefined {
    const w = this.world
    const i = c.deviceIndex
    const platform = w.platformOf(i)
    const apple = platform === 'iPadOS' || platform === 'macOS'
    if (!w.present(i)) return 'DeviceNotFound'
    if (apple) {
      if (APPLE_SUPERVISED.has(c.kind) && !w.supervised(i)) return 'The device is not supervised.'
      if (APPLE_NEEDS_LOST_MODE.has(c.kind) && !w.lostMode(i)) return 'The device is not in lost mode.'
      if (
        platform === 'macOS' &&
        (c.kind === 'lostModeOn' || c.kind === 'locate' || c.kind === 'clearPasscode')
      ) {
        return 'The command is not supported on macOS.'
      }
    }
    if (platform === 'ChromeOS' && (c.kind === 'restart' || c.kind === 'setVolume') && !w.kiosk(i)) {
      return 'Command can only be issued to kiosk and managed guest session devices.'
    }
    switch (c.kind) {
      case 'lostModeOn':
        w.setLostMode(i, {
          message: String(c.params.message ?? ''),
          phoneNumber: String(c.params.phoneNumber ?? ''),
          footnote: String(c.params.footnote ?? ''),
          enabledAt: at,
        })
        break
      case 'lostModeOff':
        w.setLostMode(i, undefined)
        break
      case 'locate': {
        const school = w.schoolAt(i)
        const base = school ? school.index : 0
        w.update(i, { location: { latitude: 59.9 + base * 0.003, longitude: 10.7 + base * 0.004, at } })
        break
      }
      case 'wipe':
        w.update(i, { wipedAt: at })
        w.setLostMode(i, undefined)
        // Intune deletes the managed-device record once the wipe is done.
        if (c.vendor === 'graph') w.remove(i)
        break
      case 'retire':
        w.remove(i)
        break
      case 'unenroll':
        w.setUnmanaged(i)
        break
      default:
        break
    }
    return undefined
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
