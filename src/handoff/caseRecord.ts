import type { ConversationReference } from 'botbuilder';
import type { ScenarioId } from '../domain/scenarios.js';
import type { Symptom } from '../domain/symptoms.js';

export type CaseKind = 'notify-photographer' | 'escalation';

export interface TranscriptLine {
  from: 'user' | 'bot';
  text: string;
  /** ISO timestamp. */
  at: string;
}

/** Everything collected in one conversation, recorded durably for a person to act on. */
export interface CaseRecord {
  id: string;
  createdAt: string;
  kind: CaseKind;
  /** Why it was recorded: the customer's request, a failed fix, an unknown status, ... */
  reason: string;
  role: 'customer' | 'photographer' | null;
  channel: string;
  conversationId: string;
  locale: string;
  symptom: Symptom | null;
  scenario: ScenarioId | null;
  secondary: ScenarioId[];
  /** Normalised access code; kept here for the people who fix it, never written to logs. */
  accessCode: string | null;
  jobId: string | null;
  photographerId: string | null;
  stepsTried: string[];
  transcript: TranscriptLine[];
  /**
   * Where a person may write to the customer; null when they skipped it (then only this
   * chat reaches them), absent on cases that never asked. Never written to logs.
   */
  email?: string | null;
  /**
   * Where the person can be written to later (the ticket's reference, once the helpdesk gives
   * one); null when their channel answered in the HTTP response only, absent on older cases.
   */
  reference?: Partial<ConversationReference> | null;
}

export type NewCase = Omit<CaseRecord, 'id' | 'createdAt'>;

/** What makes two requests of one person the same matter: the same kind, symptom and code. */
export type OpenCaseMatter = Pick<CaseRecord, 'kind' | 'symptom' | 'accessCode'>;

/** Durable queue of recorded cases, delivered to photographers and helpdesks by a worker. */
export interface CaseOutbox {
  /**
   * `person` (src/security/requester.ts) makes it the person's open case of its matter:
   * while it is undelivered, a second one of the same matter is refused (see `openCase`).
   */
  record(newCase: NewCase, person?: string): Promise<CaseRecord>;
  /** The person's undelivered case of this matter, which a repeated request adds to, or null. */
  openCase(person: string, matter: OpenCaseMatter): Promise<CaseRecord | null>;
  /** Cases not delivered yet, oldest first. */
  pending(limit?: number): Promise<CaseRecord[]>;
  markDelivered(id: string): Promise<void>;
  /** How many undelivered cases of this kind are about this job (customers waiting for it). */
  countPending(filter: { kind: CaseKind; jobId: string }): Promise<number>;
  /** Adds what the person wrote while the case is with a person to its transcript. */
  append(id: string, line: TranscriptLine): Promise<void>;
  /** Adds steps tried since (a repeated request of the same matter) to the case, each once. */
  addStepsTried(id: string, steps: readonly string[]): Promise<void>;
  /** The helpdesk's reference of the case's ticket, once the helpdesk accepted it and gave one. */
  ticketReference(id: string): Promise<string | null>;
}
