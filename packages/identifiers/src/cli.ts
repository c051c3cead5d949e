#!/usr/bin/env node
// felles-id: check and generate Norwegian identifiers from the command line.
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { createSyntheticGenerator } from './generate.js'
import { birthDateOf, parseNationalId } from './national-id.js'
import { parseOrganisationNumber } from './organisation-number.js'
import { mask } from './redact.js'

const USAGE = `felles-id: Norwegian identifiers

Usage:
  felles-id check [--json] [NUMBER...]   validate numbers (from stdin, one per line, when none are given)
  felles-id generate [--count N] [--seed S] [--kind fnr|dnr|org] [--json]
                                         print synthetic test persons or organisation numbers

check prints one line per number and never repeats a full national identity
number (it shows the birth-date part only). It exits 1 when any number is invalid.`

interface CheckLine {
  readonly input: string
  readonly valid: boolean
  readonly kind: 'fnr' | 'dnr' | 'hnr' | 'org' | 'unknown'
  readonly synthetic?: boolean
  readonly birthDate?: string
  readonly reason?: string
}

function check(raw: string): CheckLine {
  const value = raw.trim().replace(/\s+/g, '')
  if (value.length === 9) {
    const org = parseOrganisationNumber(value)
    return org.valid
      ? { input: value, valid: true, kind: 'org' }
      : { input: value, valid: false, kind: 'org', reason: org.reason }
  }
  const result = parseNationalId(value)
  const shown = mask(value)
  if (!result.valid) {
    return { input: shown, valid: false, kind: 'unknown', reason: result.reason }
  }
  return {
    input: shown,
    valid: true,
    kind: result.kind,
    synthetic: result.synthetic,
    birthDate: birthDateOf(result),
  }
}

function format(line: CheckLine, json: boolean): string {
  if (json) return JSON.stringify(line)
  if (!line.valid) return `${line.input}\tinvalid\t${line.reason}`
  if (line.kind === 'org') return `${line.input}\tvalid\torg`
  return `${line.input}\tvalid\t${line.kind}${line.synthetic ? ' (synthetic)' : ''}\tborn ${line.birthDate}`
}

async function runCheck(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  })
  let failures = 0
  const emit = (raw: string): void => {
    if (raw.trim() === '') return
    const line = check(raw)
    if (!line.valid) failures++
    process.stdout.write(`${format(line, values.json === true)}\n`)
  }
  if (positionals.length > 0) {
    for (const value of positionals) emit(value)
  } else {
    const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })
    for await (const raw of lines) emit(raw)
  }
  return failures > 0 ? 1 : 0
}

function runGenerate(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      count: { type: 'string', default: '1' },
      seed: { type: 'string' },
      kind: { type: 'string', default: 'fnr' },
      json: { type: 'boolean', default: false },
    },
  })
  const count = Number(values.count)
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
    process.stderr.write('felles-id: --count must be a whole number from 1 to 1000000\n')
    return 2
  }
  const kind = values.kind
  if (kind !== 'fnr' && kind !== 'dnr' && kind !== 'org') {
    process.stderr.write('felles-id: --kind must be fnr, dnr or org\n')
    return 2
  }
  const gen = createSyntheticGenerator(values.seed === undefined ? {} : { seed: values.seed })
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    if (kind === 'org') {
      const orgnr = gen.organisationNumber()
      out.push(values.json ? JSON.stringify({ organisationNumber: orgnr }) : orgnr)
    } else {
      const person = gen.person({ kind })
      out.push(values.json ? JSON.stringify(person) : person.nationalId)
    }
    if (out.length >= 1000) {
      process.stdout.write(`${out.join('\n')}\n`)
      out.length = 0
    }
  }
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`)
  return 0
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === 'check') return await runCheck(rest)
    if (command === 'generate') return runGenerate(rest)
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`)
      return command === undefined ? 2 : 0
    }
    process.stderr.write(`felles-id: unknown command "${command}"\n\n${USAGE}\n`)
    return 2
  } catch (error) {
    process.stderr.write(`felles-id: ${error instanceof Error ? error.message : String(error)}\n`)
    return 2
  }
}

process.exitCode = await main(process.argv.slice(2))
