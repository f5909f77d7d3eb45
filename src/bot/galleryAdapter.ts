import { type Activity, BotCallbackHandlerKey, DeliveryModes, type InvokeResponse, StatusCodes, TurnContext } from 'botbuilder-core';
import { CloudAdapter } from 'botbuilder/lib/cloudAdapter.js';
import { type AuthenticateRequestResult, AuthenticationError } from 'botframework-connector';

/** What the token library throws for a token it rejects: a forged signature, `alg: none`, not yet valid. */
const REJECTED_TOKEN = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

type Logic = (context: TurnContext) => Promise<void>;

/**
 * The Bot Framework adapter, with two changes.
 *
 * - botbuilder 4.23 lets the token library's own errors through, so a forged or
 *   not-yet-valid token would answer 500 (a server fault) instead of 401 (the caller's).
 *   Those are authentication failures.
 * - A turn whose replies go back in the HTTP response (`deliveryMode: "expectReplies"`)
 *   sends nothing through a connector, yet CloudAdapter builds a connector client and a
 *   user-token client (two Azure HTTP pipelines) for every turn: about a tenth of a turn's
 *   CPU. Such turns get neither; the connector factory stays on the turn for anything that
 *   would need one later.
 */
export class GalleryAdapter extends CloudAdapter {
  /**
   * One activity from the HTTP server, already validated there (restify parsed the JSON,
   * server.ts checked the envelope): CloudAdapter.process would validate it all again.
   */
  async handle(authHeader: string, activity: Activity, logic: Logic): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }

  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined> {
    try {
      if (activity.deliveryMode !== DeliveryModes.ExpectReplies) return await super.processActivity(auth as string, activity, logic);
      return await this.processWithoutConnector(auth, activity, logic);
    } catch (error) {
      if (error instanceof Error && REJECTED_TOKEN.has(error.name)) throw new AuthenticationError('The token was rejected', StatusCodes.UNAUTHORIZED);
      throw error;
    }
  }

  /** CloudAdapterBase.processActivity for expectReplies, minus the two clients nothing uses. */
  private async processWithoutConnector(auth: string | AuthenticateRequestResult, activity: Activity, logic: Logic): Promise<InvokeResponse> {
    const result = typeof auth === 'string' ? await this.botFrameworkAuthentication.authenticateRequest(activity, auth) : auth;
    const context = await this.runTurn(result, activity, logic);
    return { status: StatusCodes.OK, body: { activities: context.bufferedReplyActivities } };
  }

  /**
   * One turn for an authenticated activity, without building a connector client or a
   * user-token client for it: the turn's replies go back in the HTTP response or into the
   * bot's own Direct Line, never through the Bot Connector. The connector factory stays on
   * the turn for anything that would need one later.
   */
  protected async runTurn(result: AuthenticateRequestResult, activity: Activity, logic: Logic): Promise<TurnContext> {
    // Never the caller's own claim: what authentication says, even when that is nothing.
    (activity as { callerId?: string }).callerId = result.callerId;
    const context = new TurnContext(this, activity);
    context.turnState.set(this.BotIdentityKey, result.claimsIdentity);
    context.turnState.set(BotCallbackHandlerKey, logic);
    context.turnState.set(this.ConnectorFactoryKey, result.connectorFactory);
    context.turnState.set(this.OAuthScopeKey, result.audience);
    await this.runMiddleware(context, logic);
    return context;
  }
}
