/**
 * Whether a customer's gallery is open now, and the good news that says so: told proactively
 * to the customers waiting when a job is fixed, and to a customer who asks "any news?"
 * while the case is still open in their conversation.
 */
import { factsFromLookup } from '../domain/facts.js';
import type { CodeLookup } from '../domain/platformModel.js';
import { diagnose } from '../domain/scenarios.js';
import type { Symptom } from '../domain/symptoms.js';
import type { Localizer } from '../language/messages.js';
import type { PlatformPort } from '../platform/port.js';

/**
 * Nothing in the data blocks the code's gallery any more (a code of another job, or none found,
 * is not open). For a customer who waits for hidden photos (`waitsForPhotos`: their gallery was
 * open, some of its photos hidden), open means all of them are visible.
 */
export function opensNow(lookup: CodeLookup, symptom: Symptom | null, waitsForPhotos = false): lookup is Extract<CodeLookup, { kind: 'found' }> {
  if (lookup.kind !== 'found') return false;
  const diagnosis = diagnose(factsFromLookup(lookup), symptom ?? 'other');
  if (diagnosis.scenario !== 'no-known-cause' || diagnosis.secondary.length > 0 || diagnosis.unknownJobStatus !== null) return false;
  return !waitsForPhotos || lookup.gallery.photos.every((photo) => !photo.hidden);
}

/** A customer whose case found nothing blocking the gallery waits on the photographer only for hidden photos. */
export function waitsForPhotos(scenario: string | null): boolean {
  return scenario === 'no-known-cause';
}

/** "Good news: your gallery is open …", with the date it is open until; "again" to whoever saw the sale missed. */
export function galleryOpenText(l: Localizer, lookup: Extract<CodeLookup, { kind: 'found' }>, symptom: Symptom | null): string {
  const archiveDate = lookup.job.archiving.enabled ? lookup.job.archiving.date : null;
  const until: Record<string, string> = archiveDate === null ? { until: 'none' } : { until: 'date', date: l.longDate(archiveDate) };
  return l.t('customer.galleryOpen', { again: symptom === 'missed-sale' ? 'yes' : 'no', ...until });
}

/**
 * The good news for a customer's code whose gallery was closed when the case was diagnosed
 * and opens now; null while it is still closed, or when the platform cannot say.
 */
export async function newsOfCode(platform: PlatformPort, l: Localizer, accessCode: string, symptom: Symptom | null, scenario: string | null = null): Promise<string | null> {
  const lookup = await platform.lookupCode(accessCode).catch(() => null);
  return lookup !== null && opensNow(lookup, symptom, waitsForPhotos(scenario)) ? galleryOpenText(l, lookup, symptom) : null;
}
