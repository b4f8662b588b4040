/**
 * Posts answers to Slack's response_url on kept-alive connections.
 *
 * Global fetch loads its HTTP client (undici) on the first call, which made the first answer of a
 * process slow, and it is more machinery than one JSON POST needs. Node's own http(s) client with
 * a keep-alive agent per protocol reuses the connection to Slack from one answer to the next.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Longest wait for Slack to answer a post; a response_url is good for 30 minutes, an answer should not hang. */
const TIMEOUT_MS = 10_000;

export class ResponseUrlClient {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 50 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 50 });

  /** POSTs `body` as JSON to `url`; rejects unless Slack answers 2xx. */
  post(url: string, body: unknown): Promise<void> {
    return this.once(url, body).catch((err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
      // A kept-alive connection the other side closed just as it was reused: the post never
      // arrived, so it is sent once more on a new connection (Node's documented pattern).
      if (err.reusedSocket && err.code === 'ECONNRESET') return this.once(url, body);
      throw err;
    });
  }

  private once(url: string, body: unknown): Promise<void> {
    const target = new URL(url);
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const https = target.protocol === 'https:';
    if (!https && target.protocol !== 'http:') return Promise.reject(new Error(`response_url is not http(s): ${target.protocol}`));
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        target,
        { method: 'POST', agent: https ? this.https : this.http, headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) }, timeout: TIMEOUT_MS },
        (res) => {
          res.on('error', reject);
          // Read to the end, so the connection is free for the next post.
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new Error(`response_url answered ${status}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`response_url did not answer within ${TIMEOUT_MS} ms`)));
      req.on('error', (err: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
        err.reusedSocket = req.reusedSocket;
        reject(err);
      });
      req.end(bytes);
    });
  }

  /** Closes the kept-alive connections (at stop, so the process can exit). */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
