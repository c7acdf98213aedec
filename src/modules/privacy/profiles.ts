/**
 * Operator profiles: loading and validating `profiles/<id>.json` at start-up,
 * and what follows from a profile — which registration fields to ask (T-3.2
 * minimisation: only fields whose category a purpose of the profile needs),
 * which data categories it collects, and what it still lacks.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Value } from 'typebox/value'
import { LOCALES } from '../../platform/context'
import type { PdCategory, Purpose } from '../../platform/data-map/taxonomy'
import {
  FIELD_CATEGORIES,
  PD_CATEGORY_IDS,
  ProfileSchema,
  type ProfileData,
  type RegistrationFieldName,
} from './profiles.schema'

/** The shipped profiles and policy texts: `<repo>/profiles`. */
export const PROFILES_DIR = fileURLToPath(new URL('../../../profiles', import.meta.url))

/** A validated operator profile, with where it was read from. */
export interface Profile extends ProfileData {
  /** The profile file, e.g. `/srv/oqu/profiles/talap.json`. */
  readonly file: string
  /** Folder of its policy texts: `policy-v<n>.<locale>.md`. */
  readonly policyDir: string
}

/** A bad or missing profile; the message names the file and the JSON path. */
export class ProfileError extends Error {
  override name = 'ProfileError'
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Operator profile ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

interface Issue {
  path: string
  message: string
}

/** The schema's complaints, one per JSON path (the first is the most specific), at most eight. */
function schemaIssues(data: unknown): Issue[] {
  const seen = new Map<string, string>()
  for (const e of Value.Errors(ProfileSchema, data)) {
    const path = e.instancePath || '/'
    if (seen.has(path)) continue
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues
    seen.set(path, allowed ? `${e.message}: ${allowed.join(', ')}` : e.message)
  }
  return [...seen].slice(0, 8).map(([path, message]) => ({ path, message }))
}

function purposeIssues(p: ProfileData): Issue[] {
  const issues: Issue[] = []
  p.purposes.forEach((purpose, i) => {
    if (p.purposes.findIndex((q) => q.id === purpose.id) !== i)
      issues.push({ path: `/purposes/${i}/id`, message: `purpose ${purpose.id} is listed twice` })
    if (purpose.basis === 'consent' && purpose.default === undefined)
      issues.push({ path: `/purposes/${i}/default`, message: 'a consent purpose needs a default (true or false)' })
    if (purpose.basis === 'essential' && purpose.default !== undefined)
      issues.push({ path: `/purposes/${i}/default`, message: 'an essential purpose has no default: it is always on' })
  })
  return issues
}

/** T-3.2: a field is asked only if a purpose needs its category; a required one only if an essential purpose does. */
function registrationIssues(p: ProfileData): Issue[] {
  const issues: Issue[] = []
  p.registration.forEach((entry, i) => {
    const category = FIELD_CATEGORIES[entry.field]
    const needing = p.purposes.filter((purpose) => purpose.categories.includes(category))
    if (p.registration.findIndex((e) => e.field === entry.field) !== i)
      issues.push({ path: `/registration/${i}/field`, message: `field ${entry.field} is listed twice` })
    if (needing.length === 0) {
      const message = `field ${entry.field} holds ${category}, which no purpose of the profile needs (T-3.2)`
      issues.push({ path: `/registration/${i}/field`, message })
    } else if (entry.required && !needing.some((purpose) => purpose.basis === 'essential')) {
      const message = `field ${entry.field} can only be optional: only consent purposes need ${category}`
      issues.push({ path: `/registration/${i}/required`, message })
    }
  })
  return issues
}

function recipientIssues(p: ProfileData): Issue[] {
  const issues: Issue[] = []
  const collected = new Set(p.purposes.flatMap((purpose) => purpose.categories))
  p.recipients.list.forEach((r, i) => {
    const at = `/recipients/list/${i}`
    if (p.recipients.thirdParties === 'law_only' && r.basis !== 'law')
      issues.push({ path: `${at}/basis`, message: 'the profile gives PD to third parties only where the law requires' })
    if (r.basis === 'consent' && !r.categories)
      issues.push({ path: `${at}/categories`, message: 'a recipient by consent needs its list of categories' })
    r.categories?.forEach((c, j) => {
      if (p.recipients.neverTransferred.includes(c))
        issues.push({ path: `${at}/categories/${j}`, message: `${c} is never given to third parties` })
      else if (!collected.has(c))
        issues.push({ path: `${at}/categories/${j}`, message: `${c} is not collected by any purpose` })
    })
  })
  const facts = p.consentRecord
  const transfers = p.recipients.list.some((r) => r.basis !== 'law')
  const crossBorder = p.recipients.list.some((r) => r.countries.some((c) => c !== 'KZ'))
  if (facts.thirdPartyTransfer !== transfers)
    issues.push({ path: '/consentRecord/thirdPartyTransfer', message: `must be ${transfers}, as the recipients say` })
  if (facts.crossBorderTransfer !== crossBorder)
    issues.push({
      path: '/consentRecord/crossBorderTransfer',
      message: `must be ${crossBorder}, as the recipients say`,
    })
  return issues
}

function noticeIssues(p: ProfileData): Issue[] {
  const implied = p.notice.impliedAfterDays !== null
  if (p.notice.acceptance === 'click_or_continued_use' && !implied)
    return [{ path: '/notice/impliedAfterDays', message: 'acceptance by continued use needs the number of days' }]
  if (p.notice.acceptance === 'by_use' && implied)
    return [{ path: '/notice/impliedAfterDays', message: 'must be null: using the site is itself acceptance' }]
  return []
}

/** The policy text files a profile ships for version 1. */
export function policyFile(policyDir: string, version: number, locale: string): string {
  return path.join(policyDir, `policy-v${version}.${locale}.md`)
}

/** Reads and validates `<dir>/<id>.json`; throws ProfileError naming the file and each bad JSON path. */
export function loadProfile(id: string, dir: string = PROFILES_DIR): Profile {
  const file = path.join(dir, `${id}.json`)
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) throw new ProfileError(file, [`"${id}" is not a profile id`])
  if (!fs.existsSync(file)) throw new ProfileError(file, [`no such file (OQU_PROFILE=${id})`])
  let data: unknown
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new ProfileError(file, [`not valid JSON: ${(err as Error).message}`])
  }
  const shape = schemaIssues(data)
  if (shape.length > 0)
    throw new ProfileError(
      file,
      shape.map((i) => `at ${i.path}: ${i.message}`),
    )
  const p = data as ProfileData
  const policyDir = path.join(dir, id)
  const issues = [
    ...(p.id === id ? [] : [{ path: '/id', message: `must be "${id}", the file's name` }]),
    ...purposeIssues(p),
    ...registrationIssues(p),
    ...recipientIssues(p),
    ...noticeIssues(p),
  ].map((i) => `at ${i.path}: ${i.message}`)
  for (const locale of LOCALES) {
    const text = policyFile(policyDir, 1, locale)
    if (!fs.existsSync(text)) issues.push(`policy version 1 in ${locale} is missing: ${text}`)
  }
  if (issues.length > 0) throw new ProfileError(file, issues)
  return { ...p, file, policyDir }
}

export interface RegistrationField {
  name: RegistrationFieldName
  category: PdCategory
  required: boolean
  /** The profile's purposes that need this field's category (why it is asked). */
  purposes: Purpose[]
  clauses: string[]
}

/** The fields a registration or profile form asks for, in order, with which are required (T-3.2, T-2.1, B-2.2). */
export function registrationFields(profile: ProfileData): RegistrationField[] {
  return profile.registration.flatMap((entry) => {
    const category = FIELD_CATEGORIES[entry.field]
    const needing = profile.purposes.filter((p) => p.categories.includes(category))
    if (needing.length === 0) return []
    const required = entry.required && needing.some((p) => p.basis === 'essential')
    return [{ name: entry.field, category, required, purposes: needing.map((p) => p.id), clauses: entry.clauses }]
  })
}

/** Every data category the profile's purposes need, in taxonomy order. */
export function profileCategories(profile: ProfileData, purposes?: readonly Purpose[]): PdCategory[] {
  const chosen = profile.purposes.filter((p) => !purposes || purposes.includes(p.id))
  const used = new Set(chosen.flatMap((p) => p.categories))
  return PD_CATEGORY_IDS.filter((c) => used.has(c))
}

/** What the profile does not state yet (log these at start-up; a receipt shows them as "not stated"). */
export function profileGaps(profile: ProfileData): string[] {
  const o = profile.operator
  return [
    o.bin === null ? "the operator's BIN (law Art. 8(4) item 1)" : undefined,
    o.address === null ? "the operator's address" : undefined,
    o.phone === null && o.email === null ? "the operator's phone or e-mail" : undefined,
    o.dpo === null ? 'the DPO contact (the operator contacts are shown instead)' : undefined,
  ].filter((g): g is string => g !== undefined)
}
