import type { Turn } from '../src/bot/turn.js';
import type { DialogDependencies } from './dependencies.js';

/**
 * Tells the job's waiting customers whose own code opens now (the data decides), and counts
 * them in the case; how many were told. A failure is logged and counts none: the change stands.
 */
export async function tellWaitingCustomers({ notices, logger }: Pick<DialogDependencies, 'notices' | 'logger'>, turn: Turn, jobId: string): Promise<number> {
  const told = await notices.tellCustomersIfOpen(jobId).catch((error: unknown) => {
    logger.error('waiting customers could not be told', { error, jobId });
    return 0;
  });
  turn.case.customersTold += told;
  return told;
}
