import { type Activity, CloudAdapter, type InvokeResponse, StatusCodes, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';

/** What the token library throws for a token it rejects: a forged signature, `alg: none`, not yet valid. */
const REJECTED_TOKEN = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * The Bot Framework adapter, with one correction: botbuilder 4.23 lets the token
 * library's own errors through, so a forged or not-yet-valid token would answer 500
 * (a server fault) instead of 401 (the caller's). Those are authentication failures.
 */
export class GalleryAdapter extends CloudAdapter {
  protected override async processActivity(
    auth: Parameters<CloudAdapter['processActivityDirect']>[0],
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    try {
      return await super.processActivity(auth as string, activity, logic);
    } catch (error) {
      if (error instanceof Error && REJECTED_TOKEN.has(error.name)) throw new AuthenticationError('The token was rejected', StatusCodes.UNAUTHORIZED);
      throw error;
    }
  }
}
