/**
 * The little HTTP glue CloudAdapter.process needs with Node's own http module: a parsed JSON
 * body on the request, and a restify/express-style response (status, header, send, end).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Activities are small; anything this big is not from the Bot Connector. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The small response interface CloudAdapter.process expects (restify/express style). */
export function wrapResponse(res: ServerResponse) {
  return {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(body: unknown) {
      if (typeof body === 'string' || Buffer.isBuffer(body)) res.write(body);
      else if (body !== undefined) {
        if (!res.headersSent) res.setHeader('Content-Type', 'application/json');
        res.write(JSON.stringify(body));
      }
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}
