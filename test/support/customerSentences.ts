import type { ScenarioId } from '../../src/domain/scenarios.js';
import { localizer } from '../../src/language/messages.js';

/**
 * What a customer hears for a code of an archived job, from the locale files: with faults
 * besides the archive, each named, and no claim about which shop message that makes.
 */
export function archivedSentence(locale: string, date: string, secondary: readonly ScenarioId[]): string {
  const l = localizer(locale, 'customer');
  if (secondary.length === 0) return l.t('customer.job-archived', { date: l.longDate(date) });
  const faults = l.list(secondary.map((fault) => l.t(`customer.fault.${fault as 'code-not-activated'}`)));
  return l.t('customer.job-archived.withMore', { date: l.longDate(date), faults });
}
