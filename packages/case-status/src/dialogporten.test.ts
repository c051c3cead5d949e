import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseArb } from '../test/support/arbitraries.js'
import {
  add,
  closedByggesak,
  decidedByggesak,
  manager,
  newByggesak,
  PERSON,
  PERSON_FNR,
} from '../test/support/fixtures.js'
import { dialogportenDocument, openApiValidators } from '../test/support/schemas.js'
import { byggesak } from './examples.js'
import {
  type Case,
  type DialogportenDialog,
  type DialogportenOptions,
  dialogportenStatus,
  toDialogportenActivities,
  toDialogportenDialog,
  toDialogportenTransmissions,
} from './index.js'

const { document, version, hadBom } = dialogportenDocument()
const validator = openApiValidators(document)
const schemas = (document as { components: { schemas: Record<string, { enum?: string[] }> } }).components
  .schemas
const DIALOG = 'V1ServiceOwnerDialogsCommandsCreate_Dialog'
const TRANSMISSION = 'V1ServiceOwnerDialogsCommandsCreateTransmission_TransmissionRequest'
const ACTIVITY = 'V1ServiceOwnerDialogsCommandsCreateActivity_ActivityRequest'

const options: DialogportenOptions = {
  caseType: byggesak,
  serviceResource: 'urn:altinn:resource:kommune-byggesak',
  caseUrl: 'https://kommune.example.no/min-side/saker/BYGG-2025-0042',
}

function valid(name: string, value: unknown): void {
  const fn = validator(name)
  const ok = fn(value)
  if (!ok) throw new Error(`${name}: ${JSON.stringify(fn.errors?.slice(0, 5))}`)
}

function dialogOf(c: Case, extra: Partial<DialogportenOptions> = {}): DialogportenDialog {
  const sync = toDialogportenDialog(c, { ...options, ...extra })
  if (sync.action !== 'upsert') throw new Error('expected a dialog')
  return sync.dialog
}

function checkDialog(dialog: DialogportenDialog): void {
  valid(DIALOG, dialog)
  valid('V1ServiceOwnerDialogsCommandsCreate_DialogRequest', { dto: dialog })
  for (const t of dialog.transmissions) valid(TRANSMISSION, t)
  for (const a of dialog.activities) valid(ACTIVITY, a)
  // Never the deprecated input values, always a current status.
  expect(['New', 'Sent']).not.toContain(dialog.status)
  expect(schemas.DialogsEntities_DialogStatus?.enum).toContain(dialog.status)
  if (dialog.extendedStatus !== undefined) expect(dialog.extendedStatus.length).toBeLessThanOrEqual(25)
  for (const l of dialog.content.extendedStatus?.value ?? []) expect(l.value.length).toBeLessThanOrEqual(25)
  expect(dialog.serviceResource).toMatch(/^urn:altinn:resource:/)
  expect(dialog.party).toMatch(/^urn:altinn:(person|organization):identifier-no:\d+$/)
  expect(dialog.content.title.value.length).toBeGreaterThan(0)
  expect(dialog.externalReference).not.toContain(PERSON_FNR)
  expect(dialog.progress).toBeGreaterThanOrEqual(1)
  expect(dialog.progress).toBeLessThanOrEqual(100)
  // Only the party itself, never another person's number, may appear.
  const text = JSON.stringify(dialog)
  expect(text).not.toContain('20914695016')
}

describe(`Dialogporten (@digdir/dialogporten-schema ${version})`, () => {
  it('uses an exactly pinned schema package whose file starts with a BOM', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      devDependencies: Record<string, string>
    }
    expect(pkg.devDependencies['@digdir/dialogporten-schema']).toBe(version)
    expect(hadBom).toBe(true)
  })

  it('the deprecated New and Sent are still in the input enum, so the test below means something', () => {
    expect(schemas.V1ServiceOwnerCommonDialogStatuses_DialogStatusInput?.enum).toEqual(
      expect.arrayContaining(['New', 'Sent']),
    )
  })

  it('the validator has teeth: unknown fields, wrong enums and bad dates are refused', () => {
    const dialog = dialogOf(decidedByggesak())
    expect(validator(DIALOG)({ ...dialog, bogus: 1 })).toBe(false)
    expect(validator(DIALOG)({ ...dialog, status: 'Finished' })).toBe(false)
    expect(validator(DIALOG)({ ...dialog, dueAt: 'tomorrow' })).toBe(false)
    expect(validator(TRANSMISSION)({ ...dialog.transmissions[0], type: 'Letter' })).toBe(false)
    expect(validator(DIALOG)({ ...dialog, id: 'not-a-guid' })).toBe(false)
  })

  it('maps a decided building permit to a valid dialog with receipt, request, submission and decision', () => {
    const c = decidedByggesak()
    const dialog = dialogOf(c, { asOf: '2025-04-15T12:00:00Z' })
    checkDialog(dialog)
    expect(dialog.status).toBe('Awaiting') // appealable until 2 May
    expect(dialog.dueAt).toBe('2025-05-02T21:59:59.999Z')
    expect(dialog.extendedStatus).toBe('vedtak')
    expect(dialog.party).toBe(PERSON)
    expect(dialog.externalReference).toBe('2025/42')
    expect(dialog.transmissions.map((t) => t.type)).toEqual([
      'Acceptance',
      'Request',
      'Submission',
      'Decision',
    ])
    const [, request, submission] = dialog.transmissions
    expect(submission?.relatedTransmissionId).toBe(request?.id)
    expect(submission?.sender).toEqual({ actorType: 'PartyRepresentative', actorId: PERSON })
    expect(dialog.activities.map((a) => a.type)).toEqual(['DialogCreated', 'Information'])
    // Internal notes and internal status types never reach the citizen's inbox.
    expect(JSON.stringify(dialog)).not.toContain('Intern merknad')
    expect(JSON.stringify(dialog)).not.toContain('intern-vurdering')
    // Deterministic: the same case gives the same ids.
    expect(dialogOf(c, { asOf: '2025-04-15T12:00:00Z' })).toEqual(dialog)
    expect(dialog.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('is Completed once the appeal deadline has passed, and when closed (with a DialogClosed activity)', () => {
    expect(dialogOf(decidedByggesak(), { asOf: '2025-05-03T12:00:00Z' }).status).toBe('Completed')
    const closed = dialogOf(closedByggesak())
    checkDialog(closed)
    expect(closed.status).toBe('Completed')
    expect(closed.activities.map((a) => a.type)).toEqual(['DialogCreated', 'Information', 'DialogClosed'])
    expect(closed.progress).toBe(100)
  })

  it('RequiresAttention while the citizen must act; Draft for a draft', () => {
    let c = add(newByggesak(), {
      type: 'status',
      statusType: 'mottatt',
      lifecycle: 'received',
      at: '2025-03-03T08:00:00Z',
    })
    c = add(c, {
      type: 'status',
      statusType: 'mangler-dokumentasjon',
      lifecycle: 'awaiting_citizen',
      at: '2025-03-04T08:00:00Z',
    })
    expect(dialogportenStatus(c, options)).toBe('RequiresAttention')
    checkDialog(dialogOf(c))
    const draft = dialogOf(newByggesak())
    checkDialog(draft)
    expect(draft.status).toBe('Draft')
  })

  it('a withdrawn case is Completed with extendedStatus "withdrawn"; a cancelled one is deleted', () => {
    const received = add(newByggesak(), {
      type: 'status',
      statusType: 'mottatt',
      lifecycle: 'received',
      at: '2025-03-03T08:00:00Z',
    })
    const withdrawn = dialogOf(
      add(received, {
        type: 'status',
        statusType: 'trukket',
        lifecycle: 'withdrawn',
        at: '2025-03-04T08:00:00Z',
      }),
    )
    checkDialog(withdrawn)
    expect(withdrawn.status).toBe('Completed')
    expect(withdrawn.extendedStatus).toBe('withdrawn')
    const cancelled = add(received, {
      type: 'status',
      statusType: 'registrert-ved-feil',
      lifecycle: 'cancelled',
      at: '2025-03-04T08:00:00Z',
    })
    const sync = toDialogportenDialog(cancelled, options)
    expect(sync).toMatchObject({ action: 'delete', reason: 'cancelled' })
  })

  it('a reopened case sends an Information transmission', () => {
    const c = add(closedByggesak(), {
      type: 'reopen',
      statusType: 'under-behandling',
      reason: 'Klage',
      at: '2025-06-01T08:00:00Z',
      by: manager,
    })
    const dialog = dialogOf(c)
    checkDialog(dialog)
    expect(dialog.transmissions.at(-1)?.type).toBe('Information')
    expect(dialog.status).toBe('Awaiting')
  })

  it('a screened case shows its public title, and the case type as the non-sensitive title', () => {
    const c = newByggesak({
      screening: { accessRestriction: '13', legalBasis: 'Offl. § 13 jf. fvl. § 13', metadata: ['TMO'] },
      publicTitle: { nb: 'Byggesak - Storgata' },
    })
    const dialog = dialogOf(c)
    expect(dialog.content.title.value).toEqual([{ languageCode: 'nb', value: 'Byggesak - Storgata' }])
    expect(dialog.content.nonSensitiveTitle.value.map((l) => l.languageCode)).toEqual(['nb', 'nn', 'en'])
  })

  it('every generated case maps to valid dialogs, transmissions and activities', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const sync = toDialogportenDialog(c, options)
        if (sync.action === 'delete') {
          expect(c.lifecycle).toBe('cancelled')
          return
        }
        checkDialog(sync.dialog)
        expect(toDialogportenTransmissions(c, options)).toEqual(sync.dialog.transmissions)
        expect(toDialogportenActivities(c, options)).toEqual(sync.dialog.activities)
      }),
      { numRuns: 150 },
    )
  }, 60_000)
})
