import type { SupportHours } from '../src/domain/supportHours.js';
import type { CaseOutbox } from '../src/handoff/caseRecord.js';
import type { Recognizer } from '../src/language/recognizer.js';
import type { Logger } from '../src/logger.js';
import type { PlatformPort } from '../src/platform/port.js';
import type { Notices } from '../src/proactive/notices.js';
import type { CodeLookupLimit } from '../src/security/codeLookupLimit.js';
import type { NewCaseLimit } from '../src/security/newCaseLimit.js';

/** What the dialogs may use of the outside world: ports only, never an implementation. */
export interface DialogDependencies {
  /** How free text is read (symptoms, answers, codes, dates, intents, language): built once by the composition root. */
  recognizer: Recognizer;
  platform: PlatformPort;
  outbox: CaseOutbox;
  /** Telling a job's photographer that customers wait, and the customers that the gallery opens. */
  notices: Notices;
  logger: Logger;
  /** Failed code lookups per person; past the limit, no more lookups for a while. */
  codeLookups: CodeLookupLimit;
  /** New cases per person (and client address) and hour. */
  newCases: NewCaseLimit;
  now: () => Date;
  /** When people answer (SUPPORT_HOURS), told on handoff; absent: no time is promised. */
  supportHours?: SupportHours | null;
}
