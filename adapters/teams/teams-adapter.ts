/**
 * The Teams adapter: botbuilder's CloudAdapter and a TeamsActivityHandler, translating between
 * Teams activities and the core. Everything botbuilder-specific in Nämndbot lives in this
 * folder (see README.md for the map to the Microsoft 365 Agents SDK).
 *
 *   POST /api/messages ─► the Bot Connector's token verified (401 when it is not valid)
 *                       ─► CloudAdapter runs the turn ─► handler
 *     message      ─► Incoming ─► core.handle ─► Outgoing[] ─► cards, sent in the turn
 *     install/join ─► conversation reference stored for proactive messages
 *   sendPrivate(aad) ─► stored reference ─► continueConversationAsync
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationParameters,
  type ConversationReference,
  type FileConsentCardResponse,
} from 'botbuilder';
import { UnreachableError, type ChatAdapter } from '../../src/core/adapter';
import type { Core } from '../../src/core/core';
import { normalizeEmail, type PlatformDirectory } from '../../src/core/email-link';
import type { AdapterDelivery } from '../../src/core/delivery';
import type { Logger } from '../../src/core/logger';
import { message, type FilePart, type Message } from '../../src/core/message';
import { toAsker, type Outgoing } from '../../src/core/outgoing';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import { BodyTooLargeError, readJson, wrapResponse } from './http';
import { fetchableUrl, incomingOf, otherMentions, placeOf, routeOf, sentFiles, type SentFile } from './incoming';
import { fetchFile, FileTooLargeError, FILE_NOT_FETCHED_TEXT, fileTooLargeText, ONE_FILE_TEXT } from '../../src/core/files';
import { ReferenceBook, type MemberAddress } from './references';
import { formIdOf, renderMessage } from './render';
import { appIdOf, DEV_NO_AUTH_HOST, type TeamsSettings } from './settings';

export interface TeamsDeps {
  core: Core;
  delivery: AdapterDelivery;
  logger: Logger;
}

export interface TeamsAdapterOptions {
  /** Where the loud no-authentication warning goes; stderr by default. */
  warn?: (text: string) => void;
  /** Listen on settings.port (default). With false, mount `processMessages` on a server of your own. */
  listen?: boolean;
  /**
   * How requests are authenticated; by default from the settings, against Microsoft's published
   * keys. Tests pass one that reads the keys from a local server.
   */
  authentication?: ConfigurationBotFrameworkAuthentication;
}

type AuthenticatedRequest = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/**
 * CloudAdapter with the token check done on its own: CloudAdapter.process answers 500 with the
 * error's text for anything but its own AuthenticationError, so a forged token that names a real
 * key ("invalid signature"), `alg: none` or HS256 came back as 500 echoing the reason.
 */
class VerifyingCloudAdapter extends CloudAdapter {
  constructor(private readonly authentication: ConfigurationBotFrameworkAuthentication) {
    super(authentication);
  }

  authenticate(activity: Activity, authHeader: string): Promise<AuthenticatedRequest> {
    return this.authentication.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn of a request already authenticated; the invoke response, if any. */
  runTurn(authenticated: AuthenticatedRequest, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authenticated, activity, logic);
  }
}

/**
 * A token check that failed because the keys could not be fetched (the network, Microsoft's key
 * endpoint) says nothing about the token: 503, so the Bot Connector tries again. Anything else
 * (a bad signature, algorithm, issuer, audience, expiry, an unknown key) is the token's fault.
 */
function keysUnavailable(err: unknown): boolean {
  const e = err as { name?: unknown; statusCode?: unknown; code?: unknown } | undefined;
  return e?.name === 'FetchError' || (typeof e?.statusCode === 'number' && e.statusCode >= 500) || (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code));
}

/** The Bot Connector's audience for bot-to-channel calls (the public cloud). */
const CONNECTOR_AUDIENCE = 'https://api.botframework.com';
/** Files waiting for the member to accept the consent card. */
const FILE_TTL_MS = 60 * 60_000;
const MAX_PENDING_FILE_BYTES = 50 * 1024 * 1024;

const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

/** Swedish, for the person in the channel: nothing from the answer itself. */
export const PRIVATE_FAILED_NOTE =
  'Jag kunde inte skicka svaret till dig i en privat chatt. Öppna Nämndbot under Appar i Teams, skriv hjälp där och försök sedan igen.';

/** Swedish, for the secretary: why a member cannot be reached and what to do. */
export const UNREACHABLE = {
  notInstalled: 'Ledamoten har inte installerat Nämndbot i Teams. Be hen öppna appen och skriva hjälp.',
  removed: 'Ledamoten har inte Nämndbot installerad i Teams (appen har tagits bort eller aldrig lagts till). Be hen öppna Nämndbot i Teams och skriva hjälp.',
  blocked: 'Ledamoten har blockerat Nämndbot i Teams. Be hen häva blockeringen i chatten med Nämndbot.',
  notFound: 'Teams hittar inte längre chatten med ledamoten, till exempel för att appen har tagits bort. Be hen öppna Nämndbot i Teams och skriva hjälp.',
  refused: (code: string) => `Teams nekade meddelandet till ledamoten (${code}). Be hen öppna Nämndbot i Teams och skriva hjälp; hjälper inte det, kontakta IT.`,
};

interface PendingFile {
  name: string;
  bytes: Uint8Array;
  expires: number;
}

export class TeamsAdapter implements ChatAdapter {
  readonly platform = 'teams' as const;
  readonly cloud: VerifyingCloudAdapter;
  private readonly handler: NamndbotTeamsHandler;
  private readonly refs: ReferenceBook;
  private readonly appId: string;
  private readonly pendingFiles = new Map<string, PendingFile>();
  private server: Server | undefined;

  constructor(
    private readonly deps: TeamsDeps,
    private readonly settings: TeamsSettings,
    private readonly options: TeamsAdapterOptions = {},
  ) {
    this.appId = appIdOf(settings);
    this.cloud = new VerifyingCloudAdapter(options.authentication ?? authenticationFor(settings));
    this.cloud.onTurnError = async (context, error) => {
      deps.logger.error({ activityId: context.activity.id, type: context.activity.type, err: error instanceof Error ? error.message : String(error) }, 'teams turn failed');
    };
    this.refs = new ReferenceBook(deps.core.adapterState(this.platform));
    this.handler = new NamndbotTeamsHandler(this);
  }

  /** The whole HTTP side: POST /api/messages, 404 for anything else. For a server of its own. */
  readonly requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/api/messages') {
      res.statusCode = 404;
      res.end();
      return;
    }
    void this.processMessages(req, res);
  };

  /**
   * Handles one request already routed to /api/messages, so another HTTP server (the ops
   * issue's shared one) can mount the bot. Reads the JSON body, lets CloudAdapter verify the
   * token and run the turn, and answers when the turn is done.
   */
  async processMessages(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'POST') {
        res.statusCode = 405;
        res.end();
        return;
      }
      const body = await readJson(req);
      if (body === undefined || typeof body.type !== 'string') {
        res.statusCode = 400;
        res.end();
        return;
      }
      const activity = validateAndFixActivity(body as unknown as Activity);
      let authenticated: AuthenticatedRequest;
      try {
        authenticated = await this.cloud.authenticate(activity, req.headers.authorization ?? '');
      } catch (err) {
        // Nothing from the token or the error goes back: only the status.
        const unavailable = keysUnavailable(err);
        this.deps.logger.warn({ reason: err instanceof Error ? err.name : 'error' }, unavailable ? 'teams request not checked: signing keys unavailable' : 'teams request refused: token not valid');
        res.statusCode = unavailable ? 503 : 401;
        res.end();
        return;
      }
      const invoke = await this.cloud.runTurn(authenticated, activity, (context) => this.handler.run(context));
      const out = wrapResponse(res);
      out.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) out.send(invoke.body);
      out.end();
    } catch (err) {
      this.deps.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'teams request failed');
      if (!res.headersSent) res.statusCode = err instanceof BodyTooLargeError ? 413 : 500;
      if (!res.writableEnded) res.end();
    }
  }

  async start(): Promise<void> {
    if (this.settings.auth.mode === 'none') {
      const warning = [
        '',
        '!!! VARNING: Teams-adaptern körs UTAN autentisering (TEAMS_DEV_NO_AUTH=true). !!!',
        '!!! Vem som helst som når porten kan skicka kommandon i andras namn.          !!!',
        '!!! Bara för lokal utveckling. Sätt MicrosoftAppId m.fl. i drift.             !!!',
        '',
      ].join('\n');
      (this.options.warn ?? ((t: string) => process.stderr.write(`${t}\n`)))(warning);
      this.deps.logger.warn(this.options.listen === false ? {} : { port: this.settings.port }, 'teams adapter running WITHOUT authentication (TEAMS_DEV_NO_AUTH=true)');
    }
    if (this.server || this.options.listen === false) return;
    const server = createServer(this.requestListener);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Without authentication, only this machine may reach it.
      server.listen(this.settings.port, this.settings.auth.mode === 'none' ? DEV_NO_AUTH_HOST : undefined, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.deps.logger.info({ port: this.port }, 'teams adapter listening on /api/messages');
  }

  /** The port actually listened on (useful with port 0 in tests). */
  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port ?? this.settings.port;
  }

  /** The address listened on (127.0.0.1 without authentication), when listening. */
  get host(): string | undefined {
    return (this.server?.address() as AddressInfo | null | undefined)?.address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ---- inbound -------------------------------------------------------------------------

  /** A message: a command typed (in personal chat, or with an @mention) or a card submitted. */
  async onMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.from?.role === 'bot') return;
    await this.remember(context);
    const mentionIds = await this.resolveMentions(context);
    const incoming = incomingOf(activity, mentionIds);
    const files = sentFiles(activity);
    if (files.length > 0 && incoming.input.kind === 'text') {
      const file = await this.fetchSent(files, activity.id);
      if ('refusal' in file) return this.deliver(context, [toAsker(message(file.refusal))], undefined);
      incoming.input = { kind: 'file', name: file.name, bytes: file.bytes, ...(incoming.input.text ? { text: incoming.input.text } : {}) };
    }
    const replies = await this.deps.core.handle(incoming, rosterDirectory(context));
    await this.deliver(context, replies, incoming.input.kind === 'form' ? incoming.input.formId : undefined);
  }

  /**
   * A file attached to a message (an ärendelista for the import): fetched from its download URL,
   * at most `MAX_FILE_BYTES`. What it is, and whether the sender may import, the core decides.
   */
  private async fetchSent(files: SentFile[], activityId: string | undefined): Promise<{ name: string; bytes: Uint8Array } | { refusal: string }> {
    if (files.length > 1) return { refusal: ONE_FILE_TEXT };
    const f = files[0]!;
    if (!fetchableUrl(f.url)) {
      this.deps.logger.warn({ activityId }, 'teams attachment URL refused');
      return { refusal: FILE_NOT_FETCHED_TEXT };
    }
    try {
      return { name: f.name.slice(0, 200), bytes: await fetchFile(f.url) };
    } catch (err) {
      if (err instanceof FileTooLargeError) return { refusal: fileTooLargeText(err.bytes) };
      this.deps.logger.warn({ activityId, err: err instanceof Error ? err.message : String(err) }, 'teams attachment not downloaded');
      return { refusal: FILE_NOT_FETCHED_TEXT };
    }
  }

  /** The app was installed (personal or in a team) or people joined: remember how to reach them. */
  async onInstalled(context: TurnContext): Promise<void> {
    await this.remember(context);
    const activity = context.activity;
    const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
    if (activity.type === ActivityTypes.InstallationUpdate || botAdded) {
      if (placeOf(activity).kind === 'channel') await this.rememberTeamMembers(context);
      return;
    }
    for (const member of activity.membersAdded ?? []) {
      if (member.aadObjectId && member.id !== activity.recipient?.id) await this.rememberAddress(context, member.aadObjectId, member.id);
    }
  }

  private async remember(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const aad = activity.from?.aadObjectId;
    if (!aad || !activity.serviceUrl) return;
    try {
      if (placeOf(activity).kind === 'private') await this.refs.rememberPersonal(aad, TurnContext.getConversationReference(activity));
      else await this.rememberAddress(context, aad, activity.from.id);
    } catch (err) {
      // Not worth failing the member's command over; the next message tries again.
      this.deps.logger.warn({ activityId: activity.id, err: err instanceof Error ? err.message : String(err) }, 'teams reference not stored');
    }
  }

  private async rememberAddress(context: TurnContext, aad: string, userId: string): Promise<void> {
    const activity = context.activity;
    const tenantId = tenantOf(activity);
    await this.refs.rememberMember(aad, {
      userId,
      serviceUrl: activity.serviceUrl,
      ...(tenantId ? { tenantId } : {}),
      ...(activity.recipient?.id ? { botId: activity.recipient.id } : {}),
    });
  }

  /** Installed in a team: every member can be messaged privately from now on. */
  private async rememberTeamMembers(context: TurnContext): Promise<void> {
    try {
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(context, 500, token);
        for (const m of page.members) if (m.aadObjectId) await this.rememberAddress(context, m.aadObjectId, m.id);
        token = page.continuationToken;
      } while (token);
    } catch (err) {
      this.deps.logger.warn({ activityId: context.activity.id, err: err instanceof Error ? err.message : String(err) }, 'teams team members not read');
    }
  }

  /** "koppla @Amira amira.haddad": the core needs Amira's AAD object id, not her name. */
  private async resolveMentions(context: TurnContext): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const m of otherMentions(context.activity)) {
      try {
        const member = await TeamsInfo.getMember(context, m.userId);
        if (member.aadObjectId) ids.set(m.text, member.aadObjectId);
      } catch {
        // Left as the name; the core then says it does not know that person.
      }
    }
    return ids;
  }

  // ---- replies in a turn ---------------------------------------------------------------

  private async deliver(context: TurnContext, replies: Outgoing[], submittedFormId: string | undefined): Promise<void> {
    const place = placeOf(context.activity);
    let noteSent = false;
    for (const out of replies) {
      const route = routeOf(place, out);
      if (route === 'member') {
        // The core delivers member messages itself; one here would be a bug upstream.
        this.deps.logger.warn({ activityId: context.activity.id }, 'member-addressed reply ignored by the teams adapter');
        continue;
      }
      if (route === 'here') {
        const replaceCard = submittedFormId !== undefined && formIdOf(out.message) === submittedFormId ? context.activity.replyToId : undefined;
        await this.send(context, out.message, replaceCard);
        continue;
      }
      try {
        await this.sendToAsker(context, out.message);
      } catch (err) {
        this.deps.logger.warn({ activityId: context.activity.id, err: describeError(err) }, 'private reply to asker failed');
        if (!noteSent) await context.sendActivity({ type: 'message', text: PRIVATE_FAILED_NOTE, textFormat: 'plain' });
        noteSent = true;
      }
    }
  }

  /**
   * Sends a message in the turn's conversation. A form coming back (with errors) replaces the
   * card it was submitted from, so the member corrects it in place.
   */
  private async send(context: TurnContext, message: Message, replaceCardId?: string): Promise<void> {
    const activities = renderMessage(message);
    if (replaceCardId) {
      try {
        await context.updateActivity({ ...activities[0], id: replaceCardId } as Partial<Activity>);
        activities.shift();
      } catch (err) {
        this.deps.logger.info({ activityId: context.activity.id, err: describeError(err) }, 'card not updated; sending a new one');
      }
    }
    if (activities.length) await context.sendActivities(activities as Partial<Activity>[]);
    await this.offerFiles(context, message);
  }

  /** The asker, 1:1: their stored personal conversation, or a new one opened for them. */
  private async sendToAsker(context: TurnContext, message: Message): Promise<void> {
    const activity = context.activity;
    const aad = activity.from?.aadObjectId;
    const ref = aad ? await this.refs.personal(aad) : undefined;
    if (ref) {
      try {
        return await this.continueWith(ref, message);
      } catch (err) {
        if (!refusalCode(err)) throw err;
      }
    }
    await this.openPersonal(aad, { userId: activity.from.id, serviceUrl: activity.serviceUrl, tenantId: tenantOf(activity), botId: activity.recipient?.id }, message);
  }

  // ---- proactive -----------------------------------------------------------------------

  /**
   * A private message to a member by AAD object id (reminders, the secretary told of a late
   * question). Rejects with UnreachableError, in Swedish for the secretary, when Teams refuses
   * or the member has never been in touch; with the original error when worth a retry.
   */
  async sendPrivate(aadObjectId: string, message: Message): Promise<void> {
    let refusal: { code: string; err: unknown } | undefined;
    const ref = await this.refs.personal(aadObjectId);
    if (ref) {
      try {
        return await this.continueWith(ref, message);
      } catch (err) {
        const code = refusalCode(err);
        if (!code) throw err;
        refusal = { code, err };
      }
    }
    const address = await this.refs.member(aadObjectId);
    if (address) {
      try {
        return await this.openPersonal(aadObjectId, address, message);
      } catch (err) {
        const code = refusalCode(err);
        if (!code) throw err;
        refusal = { code, err };
      }
    }
    this.deps.logger.info({ aadObjectId, code: refusal?.code ?? 'no-reference' }, 'teams member unreachable');
    throw new UnreachableError(refusal ? reasonFor(refusal.code) : UNREACHABLE.notInstalled, refusal ? { cause: refusal.err } : undefined);
  }

  private async continueWith(ref: Partial<ConversationReference>, message: Message): Promise<void> {
    await rethrowing((logic) => this.cloud.continueConversationAsync(this.appId, ref, logic), (context) => this.send(context, message));
  }

  /** Opens a personal conversation with someone seen in a team, stores it, and sends. */
  private async openPersonal(aad: string | undefined, address: MemberAddress, message: Message): Promise<void> {
    const parameters = {
      isGroup: false,
      bot: { id: address.botId ?? `28:${this.appId}`, name: 'Nämndbot' },
      members: [{ id: address.userId, name: '' }],
      ...(address.tenantId ? { tenantId: address.tenantId, channelData: { tenant: { id: address.tenantId } } } : {}),
    } as ConversationParameters;
    await rethrowing(
      (logic) => this.cloud.createConversationAsync(this.appId, 'msteams', address.serviceUrl, CONNECTOR_AUDIENCE, parameters, logic),
      async (context) => {
        if (aad) await this.refs.rememberPersonal(aad, { ...TurnContext.getConversationReference(context.activity), user: { id: address.userId, name: '', aadObjectId: aad } });
        await this.send(context, message);
      },
    );
  }

  // ---- files ---------------------------------------------------------------------------

  /**
   * Files go through Teams' file consent card: the member accepts, Teams gives an upload URL
   * in their OneDrive, and the bot puts the bytes there. Only personal chats support this.
   */
  private async offerFiles(context: TurnContext, message: Message): Promise<void> {
    const files = message.parts.filter((p): p is FilePart => p.kind === 'file');
    if (files.length === 0 || placeOf(context.activity).kind !== 'private') return;
    this.prunePendingFiles();
    for (const file of files) {
      if (file.bytes.length === 0) continue;
      const fileId = randomUUID();
      this.pendingFiles.set(fileId, { name: file.name, bytes: file.bytes, expires: Date.now() + FILE_TTL_MS });
      await context.sendActivity({
        type: 'message',
        attachments: [
          {
            contentType: FILE_CONSENT,
            name: file.name,
            content: {
              description: `${file.name} från Nämndbot. Välj Tillåt så sparas filen i din OneDrive.`,
              sizeInBytes: file.bytes.length,
              acceptContext: { fileId },
              declineContext: { fileId },
            },
          },
        ],
      });
    }
  }

  private prunePendingFiles(): void {
    const now = Date.now();
    let total = 0;
    // Newest last in insertion order: drop expired ones, then the oldest while over the cap.
    for (const [id, f] of this.pendingFiles) if (f.expires < now) this.pendingFiles.delete(id);
    for (const f of this.pendingFiles.values()) total += f.bytes.length;
    for (const [id, f] of this.pendingFiles) {
      if (total <= MAX_PENDING_FILE_BYTES) break;
      this.pendingFiles.delete(id);
      total -= f.bytes.length;
    }
  }

  async onFileAccepted(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const fileId = (response.context as { fileId?: unknown } | undefined)?.fileId;
    const file = typeof fileId === 'string' ? this.pendingFiles.get(fileId) : undefined;
    const upload = response.uploadInfo;
    if (!file || !upload?.uploadUrl) {
      await context.sendActivity({ type: 'message', text: 'Filen finns inte kvar hos Nämndbot (den sparas en timme). Be om den igen.', textFormat: 'plain' });
      return;
    }
    const size = file.bytes.length;
    const put = await fetch(upload.uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Length': String(size), 'Content-Range': `bytes 0-${size - 1}/${size}` },
      body: file.bytes,
    });
    if (!put.ok) {
      this.deps.logger.warn({ status: put.status }, 'teams file upload failed');
      await context.sendActivity({ type: 'message', text: `Filen ${file.name} kunde inte sparas i din OneDrive. Försök igen om en stund.`, textFormat: 'plain' });
      return;
    }
    this.pendingFiles.delete(fileId as string);
    await context.sendActivity({
      type: 'message',
      attachments: [{ contentType: FILE_INFO, contentUrl: upload.contentUrl, name: upload.name, content: { uniqueId: upload.uniqueId, fileType: upload.fileType } }],
    });
    await this.removeConsentCard(context);
  }

  async onFileDeclined(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const fileId = (response.context as { fileId?: unknown } | undefined)?.fileId;
    if (typeof fileId === 'string') this.pendingFiles.delete(fileId);
    await context.sendActivity({ type: 'message', text: 'Filen sparades inte. Be om den igen om du vill ha den.', textFormat: 'plain' });
    await this.removeConsentCard(context);
  }

  /** The consent card would otherwise invite a second upload of the same file. */
  private async removeConsentCard(context: TurnContext): Promise<void> {
    const id = context.activity.replyToId;
    if (!id) return;
    await context.deleteActivity(id).catch(() => undefined);
  }
}

/** The TeamsActivityHandler: only routes activity kinds to the adapter's methods. */
class NamndbotTeamsHandler extends TeamsActivityHandler {
  constructor(private readonly adapter: TeamsAdapter) {
    super();
    this.onMessage(async (context, next) => {
      await adapter.onMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await adapter.onInstalled(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await adapter.onInstalled(context);
      await next();
    });
  }

  protected override async handleTeamsFileConsentAccept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.adapter.onFileAccepted(context, response);
  }

  protected override async handleTeamsFileConsentDecline(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.adapter.onFileDeclined(context, response);
  }
}

// ---- helpers ------------------------------------------------------------------------------

function authenticationFor(settings: TeamsSettings): ConfigurationBotFrameworkAuthentication {
  if (settings.auth.mode === 'none') {
    // An empty app id is how botbuilder spells "no authentication"; MultiTenant because
    // SingleTenant insists on an app id.
    return new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' });
  }
  const a = settings.auth;
  return new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: a.appId,
    MicrosoftAppType: a.appType,
    ...(a.tenantId ? { MicrosoftAppTenantId: a.tenantId } : {}),
    ...(a.password ? { MicrosoftAppPassword: a.password } : {}),
    ...(a.certificate ? { CertificateThumbprint: a.certificate.thumbprint, CertificatePrivateKey: a.certificate.privateKey } : {}),
  });
}

/**
 * Runs a proactive turn and rejects with the logic's error. The adapter's onTurnError (which
 * logs inbound turns) would otherwise swallow it, and the caller would think it was delivered.
 */
async function rethrowing(run: (logic: (context: TurnContext) => Promise<void>) => Promise<void>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
  let failure: { err: unknown } | undefined;
  await run(async (context) => {
    try {
      await logic(context);
    } catch (err) {
      failure = { err };
    }
  });
  if (failure) throw failure.err;
}

function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : activity.conversation?.tenantId;
  return id || undefined;
}

/**
 * The Bot Connector's refusals that mean "this person cannot be reached until someone acts":
 * 403 (not in the roster, blocked) and 404 (conversation gone). Undefined for anything worth
 * a retry (throttling, server errors, the network).
 */
export function refusalCode(err: unknown): string | undefined {
  const e = err as { statusCode?: unknown; code?: unknown; body?: unknown } | undefined;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (status !== 403 && status !== 404) return undefined;
  const body = typeof e?.body === 'string' ? safeJson(e.body) : e?.body;
  const fromBody = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  const code = typeof fromBody === 'string' ? fromBody : typeof e?.code === 'string' ? e.code : undefined;
  return code ?? (status === 403 ? 'Forbidden' : 'NotFound');
}

export function reasonFor(code: string): string {
  switch (code) {
    case 'BotNotInConversationRoster':
      return UNREACHABLE.removed;
    case 'ConversationBlockedByUser':
      return UNREACHABLE.blocked;
    case 'ConversationNotFound':
    case 'NotFound':
      return UNREACHABLE.notFound;
    default:
      return UNREACHABLE.refused(code);
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function describeError(err: unknown): string {
  const code = refusalCode(err);
  if (code) return code;
  return err instanceof Error ? err.message : String(err);
}


/**
 * Members found by e-mail (src/core/email-link.ts), from this turn's conversation: the sender's
 * e-mail address and user principal name from the roster (TeamsInfo.getMember), and the roster
 * members with an address (TeamsInfo.getPagedMembers), by AAD object id as the core knows them.
 * Asked only when the sender is not yet known.
 */
export function rosterDirectory(context: TurnContext): PlatformDirectory {
  const addresses = (m: { email?: string; userPrincipalName?: string }) => [m.email, m.userPrincipalName].filter((a): a is string => typeof a === 'string' && a.includes('@'));
  return {
    emailsOf: async (platformUserId) => {
      const from = context.activity.from;
      if (!from || (from.aadObjectId ?? from.id) !== platformUserId) return [];
      return addresses(await TeamsInfo.getMember(context, from.id));
    },
    usersWithEmail: async (email) => {
      const wanted = normalizeEmail(email);
      const found: string[] = [];
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(context, 500, token);
        for (const m of page.members) if (addresses(m).some((a) => normalizeEmail(a) === wanted)) found.push(m.aadObjectId ?? m.id);
        token = page.continuationToken;
      } while (token);
      return found;
    },
  };
}
