/**
 * The one ordered migration set, for PGlite and PostgreSQL alike. Names sort
 * in the order they run; a new migration gets the next number. Never edit a
 * migration that has shipped: add another.
 */
import type { Migration } from 'kysely'
import * as m0001 from './0001-audit-log'
import * as m0002 from './0002-encryption-keys'
import * as m0003 from './0003-jobs'
import * as m0004 from './0004-accounts'
import * as m0005 from './0005-privacy'
import * as m0006 from './0006-notifications'
import * as m0007 from './0007-accounts-sessions'
import * as m0008 from './0008-learning'
import * as m0009 from './0009-accounts-registration'
import * as m0010 from './0010-learning-progress'
import * as m0011 from './0011-achievements'
import * as m0012 from './0012-accounts-security'
import * as m0013 from './0013-privacy-lifecycle'
import * as m0014 from './0014-learning-authoring'
import * as m0015 from './0015-accounts-guardians'
import * as m0016 from './0016-accounts-coming-of-age'
import * as m0017 from './0017-privacy-closures'

export const migrations: Record<string, Migration> = {
  '0001-audit-log': m0001,
  '0002-encryption-keys': m0002,
  '0003-jobs': m0003,
  '0004-accounts': m0004,
  '0005-privacy': m0005,
  '0006-notifications': m0006,
  '0007-accounts-sessions': m0007,
  '0008-learning': m0008,
  '0009-accounts-registration': m0009,
  '0010-learning-progress': m0010,
  '0011-achievements': m0011,
  '0012-accounts-security': m0012,
  '0013-privacy-lifecycle': m0013,
  '0014-learning-authoring': m0014,
  '0015-accounts-guardians': m0015,
  '0016-accounts-coming-of-age': m0016,
  '0017-privacy-closures': m0017,
}
