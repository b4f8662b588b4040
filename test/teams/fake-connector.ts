/**
 * A fake Bot Connector (the Teams side of the Bot Framework REST API) on a local port. It is
 * given as the activities' serviceUrl, records what the bot sends, and can be told to refuse
 * like Teams does (403 BotNotInConversationRoster, 404 ConversationNotFound).
 *
 * Also builds the activities Teams would POST to the bot, and posts them.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  /** Decoded conversation id, when the path has one. */
  conversationId?: string;
  /** The activity id in the path (reply-to for POST, the updated one for PUT). */
  activityId?: string;
  body: any;
  /** The id the fake answered with (the new activity's or conversation's id). */
  responseId?: string;
}

export interface Refusal {
  status: number;
  code: string;
}

export interface TeamsMemberInfo {
  id: string;
  aadObjectId: string;
  name?: string;
  /** The roster's e-mail address and user principal name (members found by e-mail). */
  email?: string;
  userPrincipalName?: string;
}

export class FakeConnector {
  readonly requests: Recorded[] = [];
  readonly uploads: { path: string; headers: IncomingMessage['headers']; bytes: Buffer }[] = [];
  /** Files people attached, served at their downloadUrl (as OneDrive/SharePoint would). */
  readonly files = new Map<string, Buffer>();
  /** Paths of the attached files fetched. */
  readonly downloads: string[] = [];
  /** Members returned by pagedmembers / members/{id}. */
  members: TeamsMemberInfo[] = [];
  private server: Server | undefined;
  private refusals: { match: (r: Recorded) => boolean; refusal: Refusal }[] = [];
  private nextId = 1;
  private waiters: { n: number; resolve: () => void }[] = [];
  /** Records only what a test asserts on; the bench turns it off. */
  record = true;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const path = (req.url ?? '').split('?')[0];
        if (path.startsWith('/download/')) {
          this.downloads.push(path);
          const bytes = this.files.get(path);
          res.writeHead(bytes ? 200 : 404, { 'Content-Type': 'application/octet-stream' }).end(bytes ?? '');
          return;
        }
        if (path.startsWith('/upload/')) {
          this.uploads.push({ path, headers: req.headers, bytes: raw });
          res.writeHead(201, { 'Content-Type': 'application/json' }).end('{}');
          return;
        }
        const rec = parse(req.method ?? 'GET', path, raw);
        if (this.record) this.requests.push(rec);
        const refusal = this.refusals.find((r) => r.match(rec))?.refusal;
        if (refusal) {
          res.writeHead(refusal.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: refusal.code, message: `fake ${refusal.code}` } }));
        } else {
          const answer = this.answer(rec);
          const id = (answer as { id?: unknown }).id;
          if (typeof id === 'string') rec.responseId = id;
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
        }
        this.notify();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  /** An attachment as Teams puts a file in a personal-chat message, its bytes served here. */
  attachFile(name: string, bytes: Uint8Array): Record<string, unknown> {
    const path = `/download/${this.nextId++}/${encodeURIComponent(name)}`;
    this.files.set(path, Buffer.from(bytes));
    const ext = name.split('.').pop() ?? '';
    return { contentType: 'application/vnd.microsoft.teams.file.download.info', name, content: { downloadUrl: `${this.url.replace(/\/$/, '')}${path}`, uniqueId: `u-${this.nextId}`, fileType: ext } };
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  /** From now on, requests matching `match` get this refusal. */
  refuse(match: (r: Recorded) => boolean, refusal: Refusal): void {
    this.refusals.push({ match, refusal });
  }

  clearRefusals(): void {
    this.refusals = [];
  }

  reset(): void {
    this.requests.length = 0;
    this.uploads.length = 0;
    this.downloads.length = 0;
    this.clearRefusals();
  }

  /** Resolves once at least n requests have been recorded. */
  waitFor(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Activities the bot sent (new messages and replies), in order. */
  sent(): Recorded[] {
    return this.requests.filter((r) => r.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(r.path));
  }

  updates(): Recorded[] {
    return this.requests.filter((r) => r.method === 'PUT');
  }

  deleted(): Recorded[] {
    return this.requests.filter((r) => r.method === 'DELETE');
  }

  created(): Recorded[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v3/conversations');
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.requests.length >= w.n) w.resolve();
      return this.requests.length < w.n;
    });
  }

  private answer(rec: Recorded): unknown {
    if (rec.method === 'POST' && rec.path === '/v3/conversations') return { id: `a:created-${this.nextId++}`, serviceUrl: this.url };
    if (rec.method === 'GET' && /\/pagedmembers$/.test(rec.path)) return { members: this.members.map((m) => ({ ...m, name: m.name ?? '' })) };
    if (rec.method === 'GET' && /\/members\//.test(rec.path)) {
      const id = decodeURIComponent(rec.path.split('/members/')[1] ?? '');
      const m = this.members.find((x) => x.id === id);
      return m ? { ...m, name: m.name ?? '' } : {};
    }
    return { id: `bot-activity-${this.nextId++}` };
  }
}

function parse(method: string, path: string, raw: Buffer): Recorded {
  const m = /^\/v3\/conversations\/([^/]+)(?:\/activities(?:\/([^/]+))?)?/.exec(path);
  let body: unknown = undefined;
  if (raw.length) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = raw.toString('utf8');
    }
  }
  return {
    method,
    path,
    ...(m ? { conversationId: decodeURIComponent(m[1]) } : {}),
    ...(m?.[2] ? { activityId: decodeURIComponent(m[2]) } : {}),
    body,
  };
}

// ---- activities as Teams sends them ------------------------------------------------------

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:00000000-0000-0000-0000-000000000000', name: 'Nämndbot' };

export interface Person {
  aadObjectId: string;
  /** The Teams user id ("29:…"). */
  id: string;
  name: string;
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

let counter = 0;
export const nextActivityId = () => `1700000000${String(++counter).padStart(4, '0')}`;

export function personalConversation(p: Person) {
  return { id: `a:personal-${p.aadObjectId}`, conversationType: 'personal', tenantId: TENANT };
}

export const CHANNEL_ID = '19:kfn-general@thread.tacv2';
export const TEAM_ID = '19:kfn-team@thread.tacv2';

export function channelConversation(threadId = '1700000000000') {
  return { id: `${CHANNEL_ID};messageid=${threadId}`, conversationType: 'channel', isGroup: true, tenantId: TENANT };
}

interface BaseOptions {
  serviceUrl: string;
  from: Person;
  where: 'personal' | 'channel';
  id?: string;
}

function base(o: BaseOptions) {
  return {
    id: o.id ?? nextActivityId(),
    channelId: 'msteams',
    serviceUrl: o.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: o.from.id, name: o.from.name, aadObjectId: o.from.aadObjectId },
    recipient: BOT,
    conversation: o.where === 'personal' ? personalConversation(o.from) : channelConversation(),
    channelData:
      o.where === 'personal'
        ? { tenant: { id: TENANT } }
        : { tenant: { id: TENANT }, team: { id: TEAM_ID }, channel: { id: CHANNEL_ID } },
    locale: 'sv-SE',
  };
}

/** A typed message; in a channel it carries the bot's @mention as Teams writes it. */
export function textActivity(o: BaseOptions & { text: string }) {
  if (o.where === 'personal') return { ...base(o), type: 'message', text: o.text, textFormat: 'plain' };
  const tag = `<at>${BOT.name}</at>`;
  return {
    ...base(o),
    type: 'message',
    text: `${tag} ${o.text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: tag, mentioned: BOT }],
  };
}

/** A message with attached files (and maybe text), in personal chat. */
export function fileMessageActivity(o: BaseOptions & { text?: string; attachments: Record<string, unknown>[] }) {
  return { ...base(o), type: 'message', text: o.text ?? '', textFormat: 'plain', attachments: o.attachments };
}

/** A card's Action.Submit: Teams merges the inputs into the action's data. */
export function submitActivity(o: BaseOptions & { replyToId: string; data: Record<string, unknown>; inputs: Record<string, string> }) {
  return { ...base(o), type: 'message', replyToId: o.replyToId, value: { ...o.data, ...o.inputs } };
}

/** The member's answer to a file consent card. */
export function fileConsentActivity(o: BaseOptions & { replyToId: string; action: 'accept' | 'decline'; context: unknown; uploadUrl?: string; name?: string }) {
  return {
    ...base(o),
    type: 'invoke',
    name: 'fileConsent/invoke',
    replyToId: o.replyToId,
    value: {
      type: 'fileUpload',
      action: o.action,
      context: o.context,
      ...(o.action === 'accept'
        ? {
            uploadInfo: {
              name: o.name ?? 'fil.docx',
              uploadUrl: o.uploadUrl,
              contentUrl: 'https://contoso.sharepoint.com/personal/x/Documents/Applications/fil.docx',
              uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C8C',
              fileType: 'docx',
            },
          }
        : {}),
    },
  };
}

/** The app added to a team: a conversationUpdate in the team's channel, the bot among membersAdded. */
export function teamInstallActivity(o: Omit<BaseOptions, 'where'>) {
  const b = base({ ...o, where: 'channel' });
  return {
    ...b,
    type: 'conversationUpdate',
    conversation: { id: CHANNEL_ID, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    membersAdded: [{ id: BOT.id }],
    channelData: { ...b.channelData, eventType: 'teamMemberAdded' },
  };
}

export function installActivity(o: BaseOptions) {
  return { ...base(o), type: 'installationUpdate', action: 'add' };
}

/** POSTs an activity to the bot the way the Bot Connector does; resolves with the status and body. */
export function postActivity(botUrl: string, activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const body = Buffer.from(JSON.stringify(activity));
  return postOnce(botUrl, body, headers).catch((err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
    // A kept-alive connection the bot closed just as it was reused: the activity never arrived,
    // so it is posted once more on a new connection (Node's documented pattern for keep-alive).
    if (err.reusedSocket && err.code === 'ECONNRESET') return postOnce(botUrl, body, headers);
    throw err;
  });
}

function postOnce(botUrl: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${botUrl}/api/messages`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...headers }, agent: keepAlive },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
      err.reusedSocket = req.reusedSocket;
      reject(err);
    });
    req.end(body);
  });
}

/** Closes the kept-alive sockets postActivity used, so jest and the bench can exit. */
export function closeClientSockets(): void {
  keepAlive.destroy();
}
