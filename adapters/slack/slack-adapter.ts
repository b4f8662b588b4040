/**
 * The Slack adapter: Nämndbot in Slack through Bolt, in HTTP mode or Socket Mode.
 *
 * It translates and nothing more. Slash commands (/namnd, /jav, /ovrigfraga), button presses,
 * submitted modals and direct messages become an `Incoming` for `Core.handle`; the core's answers
 * become Block Kit (render.ts), modals for forms, and App Home (home.ts).
 *
 * Slack's protocol duties:
 * - Every request is acknowledged at once, before the core runs. The one exception is a modal
 *   submit, whose acknowledgement must carry field errors: the core gets `submitBudgetMs`
 *   (2.5 s) and, if it is slower, the modal is acknowledged with a "working" view that is
 *   replaced (views.update) when the answer is ready.
 * - Slow work (file uploads) runs after the acknowledgement; answers are posted when ready.
 * - Retried events are processed once: message events through the core (event_id is the
 *   delivery id), App Home opens through a once-mark in the Store. Retries are not dropped on
 *   the X-Slack-Retry-Num header alone, because the first attempt may never have arrived.
 * - Signature and timestamp checks are Bolt's, on. A failed check is logged without the body.
 *   Bolt refuses only stamps more than 5 minutes old; one more than 5 minutes in the future is
 *   refused here (401) before Bolt sees the request, so the window is 5 minutes both ways. A body
 *   that parses to no object (`payload=null`) is refused with 400 here too.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPModuleFunctions, HTTPReceiver, isRawBodyError, SocketModeReceiver, webApi, type BlockAction, type SlackAction, type types, type ViewClosedAction, type ViewOutput, type ViewResponseAction, type ViewSubmitAction } from '@slack/bolt';
import { SettingsError } from '../../src/config/settings';
import type { ChatAdapter } from '../../src/core/adapter';
import type { Core } from '../../src/core/core';
import type { PlatformDirectory } from '../../src/core/email-link';
import type { Input, Place } from '../../src/core/incoming';
import { fetchFile, FileTooLargeError, FILE_NOT_FETCHED_TEXT, fileTooLargeText, MAX_FILE_BYTES, ONE_FILE_TEXT } from '../../src/core/files';
import { message } from '../../src/core/message';
import { toAsker } from '../../src/core/outgoing';
import type { AdapterState } from '../../src/core/adapter-state';
import type { Logger } from '../../src/core/logger';
import type { FilePart, Form, Message } from '../../src/core/message';
import type { Outgoing } from '../../src/core/outgoing';
import { boltLogger } from './bolt-logger';
import { ResponseUrlClient } from './response-url';
import { buildHome } from './home';
import {
  FORM_CALLBACK_ID,
  HOME_REFRESH_ACTION,
  decodeActionId,
  doneModal,
  fieldErrors,
  formModal,
  formOf,
  readModalContext,
  readSubmission,
  renderMessage,
  workingModal,
  type ModalContext,
  type ModalOrigin,
  type SlackMessage,
} from './render';
import type { SlackSettings } from './settings';
import { asUnreachable, slackErrorCode } from './slack-errors';
import { WorkQueue } from './work-queue';

/** What the adapter needs from the entry. `App` in bin/app.ts has all of it. */
export interface SlackDeps {
  /** `setDirectory`, when there, is given the adapter's directory (members found by e-mail). */
  core: Pick<Core, 'handle' | 'identify' | 'query' | 'adapterState'> & Partial<Pick<Core, 'setDirectory'>>;
  delivery: { register(adapter: ChatAdapter): void };
  logger: Logger;
}

export interface SlackAdapterOptions {
  /** Web API client options; tests point `slackApiUrl` at a fake Slack. */
  clientOptions?: webApi.WebClientOptions;
  /**
   * HTTP mode: listen on `settings.port` (default). With false, nothing listens: call
   * `requestListener` for requests to `settings.path` from a server of your own.
   */
  listen?: boolean;
  /** How long a modal submit waits for the core before it shows "working". Default 2500 ms. */
  submitBudgetMs?: number;
  /** How many answers are worked out at once after their acknowledgement. Default 4. */
  answerConcurrency?: number;
}

/** Slash commands and the command words they stand for. */
export const SLASH_COMMANDS: Readonly<Record<string, string>> = {
  '/namnd': '',
  '/jav': 'jäv',
  '/ovrigfraga': 'övrig fråga',
};

/** A response_url takes five messages in 30 minutes; beyond that, answers go by DM. */
const RESPONSE_URL_USES = 5;
const DAY_MS = 24 * 3600_000;
/**
 * Slack sends app_home_opened at every click on the Home tab, and each drawing asks the core
 * several questions, which count against the person's rate limit. A Home drawn less than this
 * long ago is left as it is, unless the person did something through Slack since.
 */
const HOME_FRESH_MS = 30_000;

/** A file in a message event (file_share), as Slack describes it. */
interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** Where answers to one interaction go. */
interface Target {
  userId: string;
  place: Place;
  /** Opens one modal, within 3 s of the interaction. */
  triggerId?: string;
  responseUrl?: string;
  responseUses: number;
  /** The bot's own DM with the user, when the interaction came from there. */
  botChannel?: string;
  fromHome?: boolean;
  /** Private answers by DM even when a response_url exists (a submitted form's confirmation is a record to keep). */
  preferDm?: boolean;
}

const TIMEOUT = Symbol('timeout');

/** Slack's request stamps are at most this far from now, either way (Slack's own rule). */
export const SLACK_STAMP_WINDOW_S = 5 * 60;

/**
 * Not more than the window ahead of the system clock (Bolt refuses one more than the window
 * old). Slack stamps requests with wall-clock time, so this is the machine's time (as in Bolt's
 * own check), not the bot's Clock. A missing or malformed stamp is left to Bolt, which refuses it.
 */
function notTooFarAhead(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !/^\d{1,12}$/.test(header)) return true;
  return Number(header) - Date.now() / 1000 <= SLACK_STAMP_WINDOW_S;
}

export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  private readonly log: Logger;
  private readonly receiver: HTTPReceiver | SocketModeReceiver;
  private bolt: App | undefined;
  private server: Server | undefined;
  private readonly dmChannels = new Map<string, string>();
  /** Answers to response_url, on kept-alive connections. */
  private readonly responses = new ResponseUrlClient();
  /** When each person's Home was last drawn (monotonic ms). */
  private readonly homeDrawn = new Map<string, number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly clientOptions: webApi.WebClientOptions;
  private readonly queue: WorkQueue;
  private readonly state: AdapterState;

  constructor(
    private readonly deps: SlackDeps,
    private readonly settings: SlackSettings,
    private readonly options: SlackAdapterOptions = {},
  ) {
    this.log = deps.logger.child({ adapter: 'slack' });
    this.queue = new WorkQueue(options.answerConcurrency ?? 4);
    this.state = deps.core.adapterState(this.platform);
    const logger = boltLogger(this.log);
    // Interactive answers must not hang in a 30-minute retry schedule; a failed proactive send
    // is retried by the scheduler instead.
    this.clientOptions = { retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2000 }, ...options.clientOptions, logger };
    this.receiver =
      settings.mode === 'http'
        ? new HTTPReceiver({ signingSecret: settings.signingSecret, endpoints: settings.path, logger, signatureVerification: true, processBeforeResponse: false })
        : new SocketModeReceiver({ appToken: settings.appToken, logger, installerOptions: { clientOptions: this.clientOptions } });
    deps.core.setDirectory?.('slack', this.directory);
    if (this.receiver instanceof HTTPReceiver) {
      // The receiver calls this property for every request, whether it listens or is mounted.
      const bolt = this.receiver.requestListener;
      this.receiver.requestListener = (req, res) => void this.screen(req, res, bolt);
    }
  }

  /**
   * What Bolt's receiver does not check before it acts on a request: a stamp more than 5 minutes
   * ahead (401), and a body that parses to no object at all (`payload=null`, a JSON `null` or
   * array: 400), on which Bolt's receiver threw outside any handler and ended the process.
   */
  private async screen(req: IncomingMessage, res: ServerResponse, bolt: RequestListener): Promise<void> {
    const refuse = (status: number, why: string) => {
      this.log.warn({ path: req.url, status }, `slack request refused: ${why}`);
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(status === 400 ? 'not a Slack request body' : undefined);
    };
    if (!notTooFarAhead(req.headers['x-slack-request-timestamp'])) return refuse(401, 'x-slack-request-timestamp more than 5 minutes in the future');
    let buffered: IncomingMessage & { rawBody: Buffer };
    try {
      // Bolt reads the body it finds here (rawBody) instead of the stream, so it is read once.
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
    } catch (err) {
      if (isRawBodyError(err) && (err as { statusCode?: number }).statusCode === 413) return refuse(413, 'body too large');
      return refuse(400, 'body could not be read');
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      // Not JSON: Bolt checks the signature, then answers 400 itself.
      return bolt(buffered, res);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse(400, 'the body is not an object');
    return bolt(buffered, res);
  }

  /**
   * Members found by e-mail (src/core/email-link.ts): a user's address from users.info, the
   * account for an address from users.lookupByEmail (both need the scope users:read.email).
   * Slack holds one account per address in a workspace. "Not found" is an answer, not a failure.
   */
  readonly directory: PlatformDirectory = {
    emailsOf: async (userId) => {
      try {
        const info = await this.app.client.users.info({ user: userId });
        const email = info.user?.profile?.email;
        return email ? [email] : [];
      } catch (err) {
        if (slackErrorCode(err) === 'user_not_found') return [];
        throw err;
      }
    },
    usersWithEmail: async (email) => {
      try {
        const found = await this.app.client.users.lookupByEmail({ email });
        return found.user?.id ? [found.user.id] : [];
      } catch (err) {
        if (slackErrorCode(err) === 'users_not_found') return [];
        throw err;
      }
    },
  };

  /** HTTP mode: the handler for requests to `settings.path`, to mount on a server of your own after `start()`. */
  get requestListener(): RequestListener | undefined {
    return this.receiver instanceof HTTPReceiver ? this.receiver.requestListener : undefined;
  }

  /** The port listened on (HTTP mode with `listen`), e.g. when started with port 0. */
  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  get app(): App {
    if (!this.bolt) throw new Error('the Slack adapter is not started');
    return this.bolt;
  }

  async start(): Promise<void> {
    // Check the token first, so a wrong one stops the start with a plain message. The result
    // also spares Bolt its own auth.test.
    const probe = new webApi.WebClient(this.settings.botToken, { ...this.clientOptions, retryConfig: { retries: 1 } });
    let auth: { user_id?: string; bot_id?: string };
    try {
      auth = await probe.auth.test();
    } catch (err) {
      const code = slackErrorCode(err);
      if (code) {
        throw new SettingsError([
          `SLACK_BOT_TOKEN godtas inte av Slack (${code}). Kontrollera token under OAuth & Permissions. / Slack does not accept SLACK_BOT_TOKEN (${code}).`,
        ]);
      }
      throw err;
    }
    this.bolt = new App({
      token: this.settings.botToken,
      botId: auth.bot_id,
      botUserId: auth.user_id,
      receiver: this.receiver,
      logger: boltLogger(this.log),
      clientOptions: this.clientOptions,
      ignoreSelf: true,
      // Bolt's conversation store (off): nothing here uses it, and it cost every request an Error.
      convoStore: false,
    });
    this.register(this.bolt);
    if (this.settings.mode === 'socket') {
      await this.bolt.start();
    } else if (this.options.listen !== false) {
      this.server = (await this.bolt.start(this.settings.port)) as Server;
    }
    this.log.info({ mode: this.settings.mode, port: this.port }, 'slack adapter started');
  }

  async stop(): Promise<void> {
    if (this.receiver instanceof SocketModeReceiver) {
      // Bolt's stop does not wait for the WebSocket's close handshake; wait for it (a while) so
      // that nothing is left running when the process should exit.
      if (this.bolt) await Promise.race([this.receiver.client.disconnect(), new Promise((r) => setTimeout(r, 5000).unref())]);
    } else if (this.bolt && this.server) {
      await this.bolt.stop();
    }
    this.server = undefined;
    // Let answers already under way reach Slack.
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    this.responses.close();
  }

  /** Resolves when everything started so far has been answered (tests, benchmarks, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async sendPrivate(platformUserId: string, message: Message): Promise<void> {
    try {
      const channel = await this.openDm(platformUserId);
      await this.postMessages(channel, renderMessage(message));
      await this.uploadFiles(platformUserId, files(message));
    } catch (err) {
      throw asUnreachable(err) ?? err;
    }
  }

  // ---- wiring ---------------------------------------------------------------------------

  private register(app: App): void {
    app.use(async ({ context, body, next }) => {
      if (context.retryNum) {
        const b = body as { event_id?: string };
        this.log.info({ retryNum: context.retryNum, retryReason: context.retryReason, eventId: b.event_id }, 'slack retried a delivery');
      }
      await next();
    });

    for (const name of Object.keys(SLASH_COMMANDS)) {
      app.command(name, async ({ command, ack }) => {
        await ack();
        this.track(() => this.onCommand(command));
      });
    }
    app.action(/.+/, async ({ ack, body, action }) => {
      await ack();
      this.track(() => this.onAction(body, action));
    });
    app.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => this.onSubmit({ ack: ack as (r?: ViewResponseAction) => Promise<void>, body, view }));
    app.event('app_home_opened', async ({ event, body }) => {
      this.track(() => this.onHomeOpened(event, (body as { event_id?: string }).event_id));
    });
    app.event('message', async ({ event, body }) => {
      this.track(() => this.onDirectMessage(event, (body as { event_id?: string }).event_id));
    });
    app.error(async (error) => {
      this.log.error({ code: (error as { code?: string }).code, err: error.message }, 'slack listener failed');
    });
  }

  /** Queues the work of an answer after its acknowledgement; failures are logged, not thrown at Bolt. */
  private track(work: () => Promise<void>): void {
    const p = this.queue.run(work).catch((err: unknown) => this.log.error({ err: describe(err) }, 'slack answer failed'));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  // ---- inbound --------------------------------------------------------------------------

  private async onCommand(command: { command: string; text?: string; trigger_id?: string; user_id: string; channel_id: string; channel_name?: string; response_url?: string }): Promise<void> {
    const prefix = SLASH_COMMANDS[command.command] ?? '';
    const typed = fromSlackText(command.text ?? '');
    const text = prefix ? `${prefix} ${typed}`.trim() : typed;
    const place = placeOf(command.channel_id, command.channel_name);
    this.homeDrawn.delete(command.user_id);
    const replies = await this.deps.core.handle({
      deliveryId: command.trigger_id ?? `command-${randomUUID()}`,
      platform: 'slack',
      platformUserId: command.user_id,
      place,
      input: { kind: 'text', text },
    });
    await this.deliver(replies, { userId: command.user_id, place, triggerId: command.trigger_id, responseUrl: command.response_url, responseUses: 0 });
  }

  private async onAction(body: SlackAction | { type: string }, action: unknown): Promise<void> {
    if (body.type !== 'block_actions') return;
    const b = body as BlockAction;
    const a = action as { type?: string; action_id?: string; value?: string };
    if (a.type !== 'button' || !a.action_id) return;
    const actionId = decodeActionId(a.action_id);
    const userId = b.user.id;
    const fromHome = b.view?.type === 'home';
    if (actionId === HOME_REFRESH_ACTION) return this.publishHome(userId);

    const channelId = b.channel?.id ?? b.container?.channel_id;
    const place: Place = channelId ? placeOf(channelId) : { kind: 'private' };
    // The bot may post in a D-channel only if it is its own DM: a message it posted there, not
    // an ephemeral answer in someone else's DM.
    const botChannel = channelId && channelId.startsWith('D') && !b.container?.is_ephemeral ? channelId : undefined;
    this.homeDrawn.delete(userId);
    const replies = await this.deps.core.handle({
      deliveryId: b.trigger_id ?? `action-${randomUUID()}`,
      platform: 'slack',
      platformUserId: userId,
      place,
      input: { kind: 'action', actionId, value: a.value ?? '' },
    });
    await this.deliver(replies, { userId, place, triggerId: b.trigger_id, responseUrl: b.response_url, responseUses: 0, botChannel, fromHome });
    if (fromHome) await this.publishHome(userId);
  }

  private async onSubmit({ ack, body, view }: { ack: (r?: ViewResponseAction) => Promise<void>; body: ViewSubmitAction | ViewClosedAction; view: ViewOutput }): Promise<void> {
    const modal = readModalContext(view.private_metadata);
    if (body.type !== 'view_submission' || !modal) {
      await ack();
      return;
    }
    const userId = body.user.id;
    this.homeDrawn.delete(userId);
    const place: Place = modal.channelId ? { kind: 'channel', channelId: modal.channelId } : { kind: 'private' };
    const origin: ModalOrigin = { channelId: modal.channelId, responseUrl: modal.responseUrl, fromHome: modal.fromHome };
    const target: Target = { userId, place, responseUrl: modal.responseUrl, responseUses: 0, fromHome: Boolean(modal.fromHome), preferDm: true };
    const work = this.deps.core.handle({
      deliveryId: (body as { trigger_id?: string }).trigger_id ?? `view-${view.id}-${view.hash}`,
      platform: 'slack',
      platformUserId: userId,
      place,
      input: { kind: 'form', formId: modal.formId, values: readSubmission(view.state.values as never, modal) },
    });
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([work, new Promise<typeof TIMEOUT>((r) => (timer = setTimeout(() => r(TIMEOUT), this.options.submitBudgetMs ?? 2500)))]);
    clearTimeout(timer);

    if (first === TIMEOUT) {
      await ack({ response_action: 'update', view: workingModal(view.title?.text ?? 'Nämndbot') });
      this.track(() => this.finishLateSubmit(view.id, modal, origin, target, work));
      return;
    }
    const replies = first;
    const shown = new Set<string>();
    for (const b of view.blocks as { type: string; block_id?: string }[]) if (b.type === 'input' && b.block_id) shown.add(b.block_id);
    const formReply = replies.find((r) => formOf(r.message));
    const form = formReply && formOf(formReply.message);
    if (formReply && form) {
      // The same form with errors: show them on the fields. Else the form (or another one)
      // replaces the modal.
      const errors = form.id === modal.formId ? fieldErrors(form, shown) : undefined;
      if (errors) {
        await ack({ response_action: 'errors', errors });
        return;
      }
      const next = tryModal(formReply.message, form, origin);
      if (next) {
        await ack({ response_action: 'update', view: next });
        this.track(() => this.deliver(replies.filter((r) => r !== formReply), target));
        return;
      }
    }
    await ack();
    this.track(async () => {
      await this.deliver(replies, target);
      if (modal.fromHome) await this.publishHome(userId);
    });
  }

  /** The core answered after the modal was acknowledged: show the answer in the modal and by DM. */
  private async finishLateSubmit(viewId: string, modal: ModalContext, origin: ModalOrigin, target: Target, work: Promise<Outgoing[]>): Promise<void> {
    const replies = await work;
    const formReply = replies.find((r) => formOf(r.message)?.id === modal.formId);
    const form = formReply && formOf(formReply.message);
    if (formReply && form) {
      const again = tryModal(formReply.message, form, origin);
      if (again) {
        try {
          await this.app.client.views.update({ view_id: viewId, view: again });
          return;
        } catch (err) {
          // The person closed the modal meanwhile: the form comes as a message with its button.
          this.log.info({ code: slackErrorCode(err) }, 'late form could not be shown in the modal');
        }
      }
    }
    const lead = replies.find((r) => r.audience.kind !== 'member');
    if (lead) {
      await this.app.client.views.update({ view_id: viewId, view: doneModal('Nämndbot', lead.message) }).catch((err: unknown) => {
        this.log.info({ code: slackErrorCode(err) }, 'late answer could not be shown in the modal');
      });
    }
    await this.deliver(replies, target);
    if (modal.fromHome) await this.publishHome(target.userId);
  }

  private async onHomeOpened(event: { user: string; tab?: string }, eventId: string | undefined): Promise<void> {
    if (event.tab !== 'home') return;
    // Publishing is not in the core, so the once-mark is taken here.
    if (eventId && !(await this.state.markOnce(eventId, DAY_MS))) {
      this.log.info({ eventId }, 'duplicate app_home_opened ignored');
      return;
    }
    const drawn = this.homeDrawn.get(event.user);
    if (drawn !== undefined && performance.now() - drawn < HOME_FRESH_MS) return;
    try {
      await this.publishHome(event.user);
    } catch (err) {
      if (eventId) await this.state.unmark(eventId).catch(() => undefined);
      throw err;
    }
  }

  private async onDirectMessage(event: unknown, eventId: string | undefined): Promise<void> {
    const e = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; text?: string; channel: string; files?: SlackFile[] };
    // Only what a person writes (or shares as a file) to the bot in its DM; edits, joins and bots are not commands.
    if (e.channel_type !== 'im' || (e.subtype !== undefined && e.subtype !== 'file_share') || e.bot_id || !e.user) return;
    const place: Place = { kind: 'private' };
    const target: Target = { userId: e.user, place, botChannel: e.channel, responseUses: 0 };
    this.homeDrawn.delete(e.user);
    const text = fromSlackText(e.text ?? '');
    let input: Input = { kind: 'text', text };
    if (e.files?.length) {
      const file = await this.fetchShared(e.files);
      if ('refusal' in file) return this.deliver([toAsker(message(file.refusal))], target);
      input = { kind: 'file', name: file.name, bytes: file.bytes, ...(text ? { text } : {}) };
    }
    const replies = await this.deps.core.handle({ deliveryId: eventId ?? `message-${randomUUID()}`, platform: 'slack', platformUserId: e.user, place, input });
    await this.deliver(replies, target);
  }

  /**
   * A file shared with the bot (an ärendelista for the import): its size checked on what Slack
   * announces, then downloaded from url_private with the bot token (scope files:read). The token
   * goes only to Slack's own hosts (or the Web API host the adapter was given).
   */
  private async fetchShared(shared: SlackFile[]): Promise<{ name: string; bytes: Uint8Array } | { refusal: string }> {
    if (shared.length > 1) return { refusal: ONE_FILE_TEXT };
    const f = shared[0]!;
    if (typeof f.size === 'number' && f.size > MAX_FILE_BYTES) return { refusal: fileTooLargeText(f.size) };
    const url = f.url_private_download ?? f.url_private;
    if (!url || !this.isSlackFileHost(url)) {
      this.log.warn({ fileId: f.id }, 'shared file without a Slack download URL');
      return { refusal: FILE_NOT_FETCHED_TEXT };
    }
    try {
      return { name: (f.name ?? f.title ?? 'fil').slice(0, 200), bytes: await fetchFile(url, { Authorization: `Bearer ${this.settings.botToken}` }) };
    } catch (err) {
      if (err instanceof FileTooLargeError) return { refusal: fileTooLargeText(err.bytes) };
      this.log.warn({ fileId: f.id, err: describe(err) }, 'shared file not downloaded');
      return { refusal: FILE_NOT_FETCHED_TEXT };
    }
  }

  private isSlackFileHost(url: string): boolean {
    let host: string;
    try {
      const u = new URL(url);
      const api = this.clientOptions.slackApiUrl ? new URL(this.clientOptions.slackApiUrl) : undefined;
      if (api && u.origin === api.origin) return true;
      host = u.protocol === 'https:' ? u.hostname : '';
    } catch {
      return false;
    }
    return /(^|\.)slack\.com$/.test(host) || /(^|\.)slack-gov\.com$/.test(host);
  }

  private async publishHome(userId: string): Promise<void> {
    const view = await buildHome(this.deps.core, userId);
    await this.app.client.views.publish({ user_id: userId, view });
    this.homeDrawn.set(userId, performance.now());
    if (this.homeDrawn.size > 10_000) this.homeDrawn.clear();
  }

  // ---- outbound -------------------------------------------------------------------------

  private async deliver(replies: Outgoing[], target: Target): Promise<void> {
    for (const out of replies) {
      if (out.audience.kind === 'member') {
        // The core delivers messages for other members itself, through sendPrivate.
        this.log.warn('member-addressed reply handed to the adapter; ignored');
        continue;
      }
      const form = formOf(out.message);
      if (form && target.triggerId) {
        const trigger = target.triggerId;
        target.triggerId = undefined; // a trigger id opens one view
        if (await this.openForm(trigger, out.message, form, target)) continue;
      }
      await this.post(out, target);
    }
  }

  /** Opens the form as a modal; false when Slack refused (expired trigger), so the caller posts it. */
  private async openForm(triggerId: string, message: Message, form: Form, target: Target): Promise<boolean> {
    const origin: ModalOrigin = {
      ...(target.place.kind === 'channel' ? { channelId: target.place.channelId } : {}),
      ...(target.responseUrl ? { responseUrl: target.responseUrl } : {}),
      ...(target.fromHome ? { fromHome: true } : {}),
    };
    const view = tryModal(message, form, origin);
    if (!view) return false;
    try {
      await this.app.client.views.open({ trigger_id: triggerId, view });
      return true;
    } catch (err) {
      // A trigger id lives 3 seconds; when the core was slower the form comes with a button.
      this.log.warn({ code: slackErrorCode(err) ?? describe(err) }, 'views.open failed; form sent as a message');
      return false;
    }
  }

  private async post(out: Outgoing, target: Target): Promise<void> {
    const m = out.message;
    const rendered = renderMessage(m);
    // Only the core addresses a channel, and never with sekretess; checked again here anyway.
    const toChannel = out.audience.kind === 'channel' && target.place.kind === 'channel' && !m.sekretess;
    if (toChannel && target.place.kind === 'channel') {
      if (this.canRespond(target, rendered.length)) await this.respond(target, 'in_channel', rendered);
      else await this.postMessages(target.place.channelId, rendered);
    } else if (m.sekretess && target.place.kind === 'channel') {
      // Asked in a channel: the answer goes to the DM, and the channel only hears where it went.
      await this.postMessages(await this.openDm(target.userId), rendered);
      if (this.canRespond(target, 1)) {
        await this.respond(target, 'ephemeral', renderMessage({ text: 'Svaret innehåller uppgifter som omfattas av sekretess och har skickats till dig som direktmeddelande.', parts: [] }));
      }
    } else if (target.botChannel) {
      await this.postMessages(target.botChannel, rendered);
    } else if (!target.preferDm && this.canRespond(target, rendered.length)) {
      await this.respond(target, 'ephemeral', rendered);
    } else {
      await this.postMessages(await this.openDm(target.userId), rendered);
    }
    await this.uploadFiles(target.userId, files(m));
  }

  private canRespond(target: Target, messages: number): boolean {
    return Boolean(target.responseUrl) && target.responseUses + messages <= RESPONSE_URL_USES;
  }

  private async respond(target: Target, responseType: 'ephemeral' | 'in_channel', messages: SlackMessage[]): Promise<void> {
    for (const m of messages) {
      target.responseUses++;
      await this.responses.post(target.responseUrl!, { response_type: responseType, replace_original: false, text: m.text, blocks: m.blocks });
    }
  }

  private async postMessages(channel: string, messages: SlackMessage[]): Promise<void> {
    for (const m of messages) await this.app.client.chat.postMessage({ channel, text: m.text, blocks: m.blocks });
  }

  private async openDm(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const res = await this.app.client.conversations.open({ users: userId });
    const id = res.channel?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    if (this.dmChannels.size > 10_000) this.dmChannels.clear();
    this.dmChannels.set(userId, id);
    return id;
  }

  /** Files always go to the person privately (their DM with the bot), never to a channel. */
  private async uploadFiles(userId: string, parts: FilePart[]): Promise<void> {
    if (parts.length === 0) return;
    const channel = await this.openDm(userId);
    for (const f of parts) {
      await this.app.client.files.uploadV2({ channel_id: channel, file: Buffer.from(f.bytes), filename: f.name, title: f.name });
    }
  }
}

/**
 * Starts Slack for the entry: builds the adapter, registers it for private delivery, starts it.
 * `deps` is the entry's App (core, delivery, logger).
 */
export async function startSlack(deps: SlackDeps, settings: SlackSettings, options: SlackAdapterOptions = {}): Promise<SlackAdapter> {
  const adapter = new SlackAdapter(deps, settings, options);
  await adapter.start();
  deps.delivery.register(adapter);
  return adapter;
}

// ---- helpers ------------------------------------------------------------------------------

/** A DM (D…, or Slack's "directmessage") is private; every other conversation is a channel. */
export function placeOf(channelId: string, channelName?: string): Place {
  return channelId.startsWith('D') || channelName === 'directmessage' ? { kind: 'private' } : { kind: 'channel', channelId };
}

/**
 * What a person wrote in Slack, as the core reads text (see `Incoming`, src/core/incoming.ts):
 * a mention of a person, which Slack sends as `<@U123|name>` or `<@U123>`, becomes the neutral
 * `@U123`; then Slack's escapes of &, < and > are undone, so the core sees the text as typed.
 * Mentions are rewritten first: only a real mention arrives with a bare `<`.
 */
export function fromSlackText(s: string): string {
  return s
    .replace(/<@([A-Z0-9]+)(\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function files(m: Message): FilePart[] {
  return m.parts.filter((p): p is FilePart => p.kind === 'file');
}

function tryModal(message: Message, form: Form, origin: ModalOrigin): types.ModalView | undefined {
  try {
    return formModal(message, form, origin);
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  return slackErrorCode(err) ?? (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}
