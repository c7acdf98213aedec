/**
 * Turns a consent receipt into labelled lines in the reader's language: one
 * presentation that the HTML page and the PDF both render, so the two can
 * never say different things.
 */
import type { Locale } from '../../platform/context'
import { LANGUAGE_NAMES, type I18n, type MessageValues } from '../../platform/i18n/i18n'
import type { ConsentReceipt } from './receipts.service'

export interface ReceiptFact {
  label: string
  value: string
}

/** One of the eight items of law Art. 8(4). */
export interface ReceiptItem {
  number: number
  label: string
  /** A sentence, a bulleted list, or labelled facts. */
  text?: string
  list?: string[]
  facts?: ReceiptFact[]
}

export interface ReceiptView {
  locale: Locale
  title: string
  lead: string
  operatorName: string
  items: ReceiptItem[]
  issued: string
}

const TIME_ZONE = 'Asia/Almaty'

/** A date and time as people in Kazakhstan read it, with the offset shown. */
export function formatDateTime(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeStyle: 'long',
    timeZone: TIME_ZONE,
  }).format(at)
}

type T = (key: string, values?: MessageValues) => string

function thirdParties(r: ConsentReceipt, t: T): string {
  if (!r.thirdParties.transfer) {
    const byLaw = r.thirdParties.recipients.some((x) => x.basis === 'law')
    return byLaw ? t('privacy.receipt.noExceptByLaw') : t('privacy.receipt.no')
  }
  const kinds = [...new Set(r.thirdParties.recipients.filter((x) => x.basis === 'consent').map((x) => x.kind))]
  return t('privacy.receipt.yesTo', { recipients: kinds.map((k) => t(`privacy.recipients.${k}`)).join(', ') })
}

function crossBorder(r: ConsentReceipt, t: T): string {
  if (!r.crossBorder.transfer) return t('privacy.receipt.no')
  return r.crossBorder.withConsent ? t('privacy.receipt.yesWithConsent') : t('privacy.receipt.yes')
}

function otherFacts(r: ConsentReceipt, t: T, when: (d: Date) => string): ReceiptFact[] {
  const rec = r.record
  const stated = (v: string | null) => v ?? t('privacy.receipt.notStated')
  const purpose = rec.purpose === null ? '' : ` — ${t(`privacy.purposes.${rec.purpose}`)}`
  // What a withdrawal does (T-5.1.3, B-2.5), closing the account included (T-1.2).
  const effect =
    rec.kind === 'consent_withdrawn' && typeof rec.evidence.effect === 'string' ? rec.evidence.effect : null
  const facts: (ReceiptFact | null)[] = [
    { label: t('privacy.receipt.other.decision'), value: `${t(`privacy.kinds.${rec.kind}`)}${purpose}` },
    effect === null ? null : { label: t('privacy.receipt.other.effect'), value: t(`privacy.centre.effects.${effect}`) },
    {
      label: t('privacy.receipt.other.policy'),
      value: t('privacy.receipt.other.policyValue', { number: r.policy.number, date: when(r.policy.effectiveAt) }),
    },
    { label: t('privacy.receipt.other.language'), value: LANGUAGE_NAMES[rec.locale] },
    { label: t('privacy.receipt.other.hash'), value: rec.textSha256 },
    { label: t('privacy.receipt.other.decidedAt'), value: when(rec.decidedAt) },
    { label: t('privacy.receipt.other.channel'), value: t(`privacy.channels.${rec.channel}`) },
    rec.givenBy === rec.subjectId
      ? null
      : { label: t('privacy.receipt.other.representative'), value: stated(r.representativeName) },
    { label: t('privacy.receipt.other.recordId'), value: rec.id },
    rec.signature === null ? null : { label: t('privacy.receipt.other.signature'), value: rec.signature },
    { label: t('privacy.receipt.other.address'), value: stated(r.operator.address) },
    { label: t('privacy.receipt.other.phone'), value: stated(r.operator.phone) },
    { label: t('privacy.receipt.other.email'), value: stated(r.operator.email) },
    { label: t('privacy.receipt.other.website'), value: r.operator.website },
    r.operator.policyUrl === null ? null : { label: t('privacy.receipt.other.policyUrl'), value: r.operator.policyUrl },
    r.dpo
      ? { label: r.dpo.title, value: [r.dpo.email, r.dpo.phone].filter(Boolean).join(', ') || stated(null) }
      : { label: t('privacy.receipt.other.dpo'), value: t('privacy.receipt.other.dpoOperator') },
    { label: t('privacy.receipt.other.withdrawal'), value: t(`privacy.withdrawal.${r.withdrawal.how}`) },
    { label: t('privacy.receipt.other.complaints'), value: `${r.authorisedBody}; ${r.court}` },
    { label: t('privacy.receipt.other.clauses'), value: r.clauses.join(', ') },
  ]
  return facts.filter((f): f is ReceiptFact => f !== null)
}

/** The receipt's eight items with their labels, in the receipt's language. */
export function presentReceipt(r: ConsentReceipt, i18n: I18n): ReceiptView {
  const t: T = (key, values) => i18n.t(r.locale, key, values)
  const when = (d: Date) => formatDateTime(r.locale, d)
  const bin = r.operator.bin ?? t('privacy.receipt.notStated')
  const items: Omit<ReceiptItem, 'number'>[] = [
    {
      label: t('privacy.receipt.items.operator'),
      text: t('privacy.receipt.operatorValue', { name: r.operator.name, bin }),
    },
    { label: t('privacy.receipt.items.subject'), text: r.subjectName ?? t('privacy.receipt.nameNotHeld') },
    { label: t('privacy.receipt.items.validity'), text: r.validity },
    { label: t('privacy.receipt.items.thirdParties'), text: thirdParties(r, t) },
    { label: t('privacy.receipt.items.crossBorder'), text: crossBorder(r, t) },
    {
      label: t('privacy.receipt.items.publicSources'),
      text: t(r.publicSources ? 'privacy.receipt.yes' : 'privacy.receipt.no'),
    },
    { label: t('privacy.receipt.items.categories'), list: r.categories.map((c) => t(`privacy.categories.${c}`)) },
    { label: t('privacy.receipt.items.other'), facts: otherFacts(r, t, when) },
  ]
  return {
    locale: r.locale,
    title: t('privacy.receipt.title'),
    lead: t('privacy.receipt.lead'),
    operatorName: r.operator.name,
    items: items.map((item, i) => ({ number: i + 1, ...item })),
    issued: t('privacy.receipt.issued', { date: when(r.issuedAt) }),
  }
}
