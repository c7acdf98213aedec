/**
 * Every route the privacy module registers and who may use it, read by the
 * authorization matrix test (privacy.authz.test.ts): `public` anyone;
 * `user` a signed-in person, for their own data only; `subject` a receipt —
 * the person it is about, whoever decided for them, or the DPO (anyone else
 * gets 404); `guardian` a person with live guardian links, for their own
 * wards only (anyone else 404); `dpo` the DPO role only (anyone else 404).
 */
export type PrivacyRouteAccess = 'public' | 'user' | 'subject' | 'guardian' | 'dpo'

export const PRIVACY_ROUTES = [
  { method: 'GET', url: '/policy', access: 'public' },
  { method: 'GET', url: '/policy/versions/:n', access: 'public' },
  { method: 'POST', url: '/policy/accept', access: 'user' },
  { method: 'GET', url: '/dpo', access: 'dpo' },
  { method: 'POST', url: '/dpo/draft', access: 'dpo' },
  { method: 'POST', url: '/dpo/publish', access: 'dpo' },
  { method: 'POST', url: '/dpo/complaints/:id/close', access: 'dpo' },
  { method: 'GET', url: '/dpo/requests', access: 'dpo' },
  { method: 'POST', url: '/dpo/requests/:id/open', access: 'dpo' },
  { method: 'POST', url: '/dpo/requests/:id/decide', access: 'dpo' },
  { method: 'GET', url: '/privacy', access: 'user' },
  { method: 'POST', url: '/privacy/purposes', access: 'user' },
  { method: 'POST', url: '/privacy/withdraw', access: 'user' },
  { method: 'POST', url: '/privacy/complaints', access: 'user' },
  { method: 'GET', url: '/privacy/consents', access: 'user' },
  { method: 'GET', url: '/privacy/unsubscribe', access: 'public' },
  { method: 'POST', url: '/privacy/unsubscribe', access: 'public' },
  { method: 'GET', url: '/privacy/close', access: 'user' },
  { method: 'POST', url: '/privacy/close', access: 'user' },
  { method: 'GET', url: '/privacy/children', access: 'guardian' },
  { method: 'POST', url: '/privacy/children/:id/withdraw', access: 'guardian' },
  { method: 'GET', url: '/privacy/consents/:id/receipt', access: 'subject' },
  { method: 'GET', url: '/privacy/consents/:id/receipt.pdf', access: 'subject' },
] as const satisfies readonly { method: 'GET' | 'POST'; url: string; access: PrivacyRouteAccess }[]
