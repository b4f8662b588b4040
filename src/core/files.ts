/**
 * Files sent to the bot (a Slack file share, a Teams attachment): what an adapter needs to hand
 * one to the core as `{ kind: 'file' }` input. The size limit is the ärendelista's, checked on
 * the size the platform announces before anything is fetched and again while fetching; the
 * answers are Swedish; the download is bounded. What the file is (Excel, CSV, text, or
 * something else) the core decides, from its bytes and name.
 */
import { MAX_IMPORT_BYTES } from '../import/arendelista';

/** The largest file an adapter fetches for the core. */
export const MAX_FILE_BYTES = MAX_IMPORT_BYTES;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1).replace('.', ',');

/** Said when a file is larger than `MAX_FILE_BYTES`; nothing was fetched or changed. */
export function fileTooLargeText(bytes: number): string {
  return `Filen är ${mb(bytes)} MB; en ärendelista får vara högst ${MAX_FILE_BYTES / 1024 / 1024} MB. Skicka bara listan med ärenden. Inget har ändrats.`;
}

export const ONE_FILE_TEXT = 'Skicka en fil i taget: ärendelistan (Excel, CSV eller text). Inget har ändrats.';
export const FILE_NOT_FETCHED_TEXT = 'Jag kunde inte hämta filen. Försök igen om en stund. Inget har ändrats.';

export class FileTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super('file too large');
    this.name = 'FileTooLargeError';
  }
}

/**
 * GETs `url` and returns its bytes, refusing (`FileTooLargeError`) a body over `MAX_FILE_BYTES`
 * whether or not it announced its length. Redirects are not followed with the headers (they may
 * carry a token): a redirect is an error.
 */
export async function fetchFile(url: string, headers: Record<string, string> = {}, timeoutMs = 20_000): Promise<Uint8Array> {
  const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok || !res.body) throw new Error(`file download failed with status ${res.status}`);
  const announced = Number(res.headers.get('content-length') ?? NaN);
  if (announced > MAX_FILE_BYTES) {
    await res.body.cancel();
    throw new FileTooLargeError(announced);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_FILE_BYTES) throw new FileTooLargeError(size);
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
