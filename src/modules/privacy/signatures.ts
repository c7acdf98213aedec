/**
 * Signed consent records (T-5.1.3, B-2.5): a withdrawal's receipt carries an
 * HMAC-SHA256 over the record's canonical content, so the operator (or a
 * court it shows the record to) can check that the receipt the person holds
 * and the ledger row agree. HMAC rather than Ed25519: the key is derived
 * from the keyring's blind-index key the deployment already keeps secret
 * and backs up, and checking is the operator's job; a public-key signature
 * a third party could check alone would need its own key management.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** What is signed: every column of the record except the encrypted network details, in a fixed order. */
export interface SignedContent {
  id: string
  subject_id: string
  given_by: string
  kind: string
  purpose: string | null
  policy_version_id: string
  locale: string
  text_sha256: string
  decided_at: Date
  channel: string
  evidence: Record<string, unknown>
}

/** The canonical text of a record: JSON of its fields in a fixed order, evidence keys sorted. */
export function canonicalRecord(r: SignedContent): string {
  const evidence = Object.fromEntries(Object.entries(r.evidence).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return JSON.stringify([
    'oqu.consent_record.v1',
    r.id,
    r.subject_id,
    r.given_by,
    r.kind,
    r.purpose,
    r.policy_version_id,
    r.locale,
    r.text_sha256,
    r.decided_at.toISOString(),
    r.channel,
    evidence,
  ])
}

export interface RecordSigner {
  sign(canonical: string): string
  /** True when `signature` was made by this signer over `canonical`. */
  verify(canonical: string, signature: string): boolean
}

/** A signer keyed by `secret` (derive it from the keyring; never a literal). */
export function createRecordSigner(secret: string): RecordSigner {
  const mac = (canonical: string) => createHmac('sha256', secret).update(canonical, 'utf8').digest('hex')
  return {
    sign: (canonical) => `hmac-sha256:${mac(canonical)}`,
    verify(canonical, signature) {
      const expected = Buffer.from(`hmac-sha256:${mac(canonical)}`)
      const given = Buffer.from(signature)
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}
