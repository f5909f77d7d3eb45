import { z } from 'zod';
import { SLOTS } from '../channels/replyModel.js';
import { FIX_STEP_IDS, PLATFORM_ACTIONS } from '../domain/fixPlans.js';
import { SCENARIOS } from '../domain/scenarios.js';
import { SYMPTOMS } from '../domain/symptoms.js';
import { LOCALE_PATTERN } from '../language/languages.js';
import type { CaseState } from './caseState.js';
import { TRANSCRIPT_LINE_LENGTH, TRANSCRIPT_LINES } from './caseState.js';

/**
 * What a stored case must look like, field by field: the invariants every turn keeps
 * (known ids only, counters that are whole numbers, a bounded transcript). The fuzz tests
 * check the state after every turn against it.
 */

const scenario = z.enum(SCENARIOS);
const count = z.number().int().nonnegative();
/** An access code as the case keeps it: normalised, uppercase letters and digits. */
const accessCode = z.string().regex(/^[0-9A-Z]{4,16}$/);

export const caseStateSchema = z
  .object({
    id: z.string().min(1),
    role: z.enum(['customer', 'photographer']).nullable(),
    locale: z.string().regex(LOCALE_PATTERN),
    symptom: z.enum(SYMPTOMS).nullable(),
    accessCode: accessCode.nullable(),
    moreCodes: z.array(accessCode).max(10),
    wrongCodes: count,
    jobId: z.string().min(1).nullable(),
    galleryId: z.string().min(1).nullable(),
    photographerId: z.string().min(1).nullable(),
    scenario: scenario.nullable(),
    secondary: z.array(scenario),
    step: count.nullable(),
    awaiting: z.enum(SLOTS).nullable(),
    questionId: count,
    plan: z.array(z.strictObject({ id: z.enum(FIX_STEP_IDS), action: z.enum(PLATFORM_ACTIONS).nullable() })),
    done: z.array(z.enum(FIX_STEP_IDS)),
    appliedChanges: z.array(z.string()),
    changesMade: z.array(
      z.strictObject({
        kind: z.enum(PLATFORM_ACTIONS),
        job: z.string(),
        date: z.iso.date().nullable(),
        code: z
          .string()
          .regex(/^[0-9A-Z]{4,16}$/)
          .nullable(),
      }),
    ),
    replans: count,
    stepsTried: z.array(z.string()),
    customersTold: count,
    transcript: z
      .array(z.strictObject({ from: z.enum(['user', 'bot']), text: z.string().min(1).max(TRANSCRIPT_LINE_LENGTH), at: z.iso.datetime() }))
      .max(TRANSCRIPT_LINES),
    greeted: z.boolean(),
    handoffCaseId: z.string().regex(/^case-[0-9a-f-]{36}$/).nullable(),
    handoffOpenedAt: z.iso.datetime().nullable(),
    contact: z.strictObject({ email: z.email().nullable() }).nullable(),
    localeFrom: z.enum(['channel', 'text']),
    lastCode: accessCode.nullable(),
  })
  .superRefine((state, ctx) => {
    if (state.step !== null && state.plan.length > 0 && state.step > state.plan.length) {
      ctx.addIssue({ code: 'custom', path: ['step'], message: `step ${state.step} of a plan of ${state.plan.length}` });
    }
  });

/** Compile-time check: the schema describes exactly the CaseState type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemaMatchesType: Same<z.infer<typeof caseStateSchema>, CaseState> = true;
void schemaMatchesType;
