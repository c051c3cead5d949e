import type { ActionType } from './actions.js'
import type { Platform, Vendor } from './model.js'

/** Whether a vendor can carry out an action on a platform. */
export type Support =
  /** Supported on every managed device of the platform. */
  | 'yes'
  /** Only on supervised devices (Apple). */
  | 'supervised'
  /** Only while the device is in lost mode (Apple: locate). */
  | 'lost-mode'
  /** The vendor's API has no such action for the platform (or only in a beta API Felles does not use). */
  | 'no'

/** A vendor's capabilities: platform → action → support. Platforms absent are not managed by that vendor. */
export type CapabilityMatrix = Readonly<Partial<Record<Platform, Readonly<Record<ActionType, Support>>>>>

const apple = (overrides: Partial<Record<ActionType, Support>>): Record<ActionType, Support> => ({
  sync: 'yes',
  restart: 'supervised',
  shutdown: 'supervised',
  lock: 'yes',
  enableLostMode: 'supervised',
  disableLostMode: 'supervised',
  locate: 'lost-mode',
  clearPasscode: 'yes',
  wipe: 'yes',
  retire: 'yes',
  disable: 'no',
  reenable: 'no',
  ...overrides,
})

/**
 * What each vendor adapter can do per platform, from the vendors' API
 * descriptions and Apple's MDM command definitions (which commands need
 * supervision). Intune's `enableLostMode` exists only in Graph beta, so it is
 * `no` here; Jamf School's API has no lock, lost mode or locate.
 *
 * @see https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice
 * @see https://github.com/apple/device-management
 */
export const CAPABILITIES: Readonly<Record<Vendor, CapabilityMatrix>> = {
  intune: {
    windows: {
      sync: 'yes',
      restart: 'yes',
      shutdown: 'yes',
      lock: 'no',
      enableLostMode: 'no',
      disableLostMode: 'no',
      locate: 'yes',
      clearPasscode: 'no',
      wipe: 'yes',
      retire: 'yes',
      disable: 'no',
      reenable: 'no',
    },
    ios: apple({ enableLostMode: 'no' }),
    ipados: apple({ enableLostMode: 'no' }),
    macos: apple({ enableLostMode: 'no', disableLostMode: 'no', locate: 'no', clearPasscode: 'no' }),
    android: {
      sync: 'yes',
      restart: 'yes',
      shutdown: 'no',
      lock: 'yes',
      enableLostMode: 'no',
      disableLostMode: 'no',
      locate: 'no',
      clearPasscode: 'yes',
      wipe: 'yes',
      retire: 'yes',
      disable: 'no',
      reenable: 'no',
    },
  },
  'jamf-pro': {
    ios: apple({}),
    ipados: apple({}),
    macos: apple({
      enableLostMode: 'no',
      disableLostMode: 'no',
      locate: 'no',
      clearPasscode: 'no',
      shutdown: 'yes',
      restart: 'yes',
    }),
  },
  'jamf-school': {
    ios: apple({
      shutdown: 'no',
      lock: 'no',
      enableLostMode: 'no',
      disableLostMode: 'no',
      locate: 'no',
      clearPasscode: 'no',
    }),
    ipados: apple({
      shutdown: 'no',
      lock: 'no',
      enableLostMode: 'no',
      disableLostMode: 'no',
      locate: 'no',
      clearPasscode: 'no',
    }),
    macos: apple({
      shutdown: 'no',
      lock: 'no',
      enableLostMode: 'no',
      disableLostMode: 'no',
      locate: 'no',
      clearPasscode: 'no',
      restart: 'yes',
    }),
  },
  google: {
    chromeos: {
      sync: 'no',
      restart: 'yes',
      shutdown: 'no',
      lock: 'no',
      enableLostMode: 'no',
      disableLostMode: 'no',
      locate: 'no',
      clearPasscode: 'no',
      wipe: 'yes',
      retire: 'yes',
      disable: 'yes',
      reenable: 'yes',
    },
  },
}

/**
 * Whether a vendor can carry out an action on a device right now.
 *
 * @param vendor - The device's vendor.
 * @param platform - The device's platform.
 * @param action - The action type.
 * @param device - Supervision and lost-mode state, where known.
 * @returns `{ ok: true }` or `{ ok: false, why }` with a reason for people.
 * @example
 * ```ts
 * canPerform('jamf-school', 'ipados', 'lock', { supervised: true }) // { ok: false, why: … }
 * ```
 */
export function canPerform(
  vendor: Vendor,
  platform: Platform,
  action: ActionType,
  device: { readonly supervised?: boolean | null; readonly lostMode?: boolean | null } = {},
): { ok: true } | { ok: false; why: string } {
  const support = CAPABILITIES[vendor][platform]?.[action] ?? 'no'
  switch (support) {
    case 'yes':
      return { ok: true }
    case 'supervised':
      return device.supervised === false
        ? { ok: false, why: `${action} needs a supervised device` }
        : { ok: true }
    case 'lost-mode':
      return device.lostMode === false
        ? { ok: false, why: `${action} works only in lost mode` }
        : { ok: true }
    case 'no':
      return { ok: false, why: `${vendor} offers no ${action} for ${platform}` }
  }
}
