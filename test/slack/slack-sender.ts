/**
 * Plays Slack's side of the HTTP protocol: signed slash commands, interactivity payloads and
 * Events API callbacks posted to the adapter's request URL, as Slack sends them.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { TEAM_ID, type FakeSlack } from './fake-slack';

export const SIGNING_SECRET = '8f742231b10e8888abcd99aaaaaa85a5';

/** Slack's v0 signature of a request body. */
export function sign(secret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export interface Answer {
  status: number;
  text: string;
  json(): unknown;
}

export interface PostOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  secret?: string;
  headers?: Record<string, string>;
}

let triggerSeq = 0;
export function triggerId(): string {
  return `${1000000 + ++triggerSeq}.${738474920 + triggerSeq}.${randomBytes(16).toString('hex')}`;
}

export class SlackSender {
  constructor(
    private readonly url: string,
    private readonly fake: FakeSlack,
    private readonly secret = SIGNING_SECRET,
  ) {}

  async post(body: string, contentType: string, options: PostOptions = {}): Promise<Answer> {
    const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(options.secret ?? this.secret, ts, body),
        ...options.headers,
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as unknown };
  }

  /** A slash command as Slack posts it (form-encoded). Returns the answer and what was sent. */
  async command(
    userId: string,
    command: string,
    text: string,
    where: { channelId?: string; channelName?: string } = {},
    options: PostOptions = {},
  ): Promise<{ answer: Answer; triggerId: string; responseUrl: string; body: string }> {
    const trigger = triggerId();
    const responseUrl = this.fake.responseUrl();
    const body = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: TEAM_ID,
      team_domain: 'namndbot-test',
      channel_id: where.channelId ?? 'C0NAMNDEN1',
      channel_name: where.channelName ?? 'kfn-ledamoter',
      user_id: userId,
      user_name: 'someone',
      command,
      text,
      api_app_id: 'A0NAMNDBOT',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: trigger,
    }).toString();
    const answer = await this.post(body, 'application/x-www-form-urlencoded', options);
    return { answer, triggerId: trigger, responseUrl, body };
  }

  /** An interactivity payload (block_actions, view_submission), form-encoded as `payload=`. */
  interaction(payload: Record<string, unknown>, options: PostOptions = {}): Promise<Answer> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded', options);
  }

  /** An Events API callback (JSON). `retryNum` adds Slack's retry headers. */
  event(event: Record<string, unknown>, eventId: string, retryNum?: number): Promise<Answer> {
    const body = JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: TEAM_ID,
      api_app_id: 'A0NAMNDBOT',
      event,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: 'UBOT000001', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    const headers: Record<string, string> = retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
    return this.post(body, 'application/json', { headers });
  }

  /** A view_submission for a modal the adapter opened (as recorded by the fake's views.open). */
  submit(userId: string, view: Record<string, unknown>, values: Record<string, Record<string, unknown>>): Promise<Answer> {
    return this.interaction({
      type: 'view_submission',
      team: { id: TEAM_ID, domain: 'namndbot-test' },
      user: { id: userId, username: 'someone', name: 'someone', team_id: TEAM_ID },
      api_app_id: 'A0NAMNDBOT',
      token: 'deprecated-verification-token',
      trigger_id: triggerId(),
      view: {
        ...view,
        id: view.id ?? 'V0MODAL001',
        team_id: TEAM_ID,
        hash: 'hash-1',
        state: { values: Object.fromEntries(Object.entries(values).map(([block, v]) => [block, { v }])) },
      },
      response_urls: [],
      is_enterprise_install: false,
    });
  }

  /** A button press on a message (in a channel or DM) or on App Home. */
  press(
    userId: string,
    button: { action_id: string; value: string },
    where: { channelId?: string; ephemeral?: boolean; home?: boolean; responseUrl?: string } = {},
  ): Promise<Answer> {
    const action = { type: 'button', block_id: 'b1', action_id: button.action_id, value: button.value, text: { type: 'plain_text', text: 'x' }, action_ts: '1700000000.000100' };
    const base = {
      type: 'block_actions',
      team: { id: TEAM_ID, domain: 'namndbot-test' },
      user: { id: userId, username: 'someone', name: 'someone', team_id: TEAM_ID },
      api_app_id: 'A0NAMNDBOT',
      token: 'deprecated-verification-token',
      trigger_id: triggerId(),
      actions: [action],
      is_enterprise_install: false,
    };
    if (where.home) {
      return this.interaction({ ...base, container: { type: 'view', view_id: 'VHOME00001' }, view: { id: 'VHOME00001', type: 'home', blocks: [], private_metadata: '', callback_id: '', hash: 'h', team_id: TEAM_ID } });
    }
    const channelId = where.channelId ?? 'C0NAMNDEN1';
    return this.interaction({
      ...base,
      container: { type: 'message', message_ts: '1700000000.000001', channel_id: channelId, is_ephemeral: Boolean(where.ephemeral) },
      channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'kfn-ledamoter' },
      message: { type: 'message', ts: '1700000000.000001', text: 'x', user: 'UBOT000001' },
      response_url: where.responseUrl ?? this.fake.responseUrl(),
    });
  }
}
