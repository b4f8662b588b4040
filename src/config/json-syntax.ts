/**
 * Finds where and why JSON text is invalid, in Swedish.
 *
 * Only called after `JSON.parse` has failed: V8's message often has no position (a trailing
 * comma gives just "Unexpected token ']'") and its wording changes between Node versions, so a
 * small strict scanner gives the secretary a stable line and reason instead.
 */

export interface JsonSyntaxError {
  /** Offset in the text of the place to point at. */
  readonly offset: number;
  readonly message: string;
}

class Fail extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  // End of the last complete value, so "missing comma" points at the line that lacks it.
  let lastValueEnd = 0;

  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  // Point at the last real character, not at the empty line after a final newline.
  const endOfInput = () => new Fail(Math.max(0, text.trimEnd().length - 1), 'filen tar slut för tidigt – en } eller ] saknas i slutet');

  const string = (): void => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Fail(start, 'ett avslutande citattecken (") saknas');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) {
        throw new Fail(i, c === 0x0a ? 'en text går över flera rader – ett avslutande citattecken (") saknas, eller skriv \\n för radbrytning' : 'en text innehåller ett tabbtecken eller annat styrtecken – skriv \\t eller ta bort det');
      }
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else throw new Fail(i, 'ogiltigt \\-tecken i en text – skriv \\\\ för ett bakstreck');
      } else i++;
    }
  };

  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === '-') throw new Fail(i, 'ogiltigt tal');
    i += m[0].length;
    if (i < text.length && /[0-9.eE]/.test(text[i]!)) throw new Fail(i, 'ogiltigt tal – inga inledande nollor, och decimaler skrivs med punkt');
  };

  const value = (): void => {
    ws();
    if (i >= text.length) throw endOfInput();
    const c = text[i]!;
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else {
      const word = /^[A-Za-z]+/.exec(text.slice(i))?.[0];
      if (word === 'true' || word === 'false' || word === 'null') i += word.length;
      else if (c === "'") throw new Fail(i, 'text ska stå inom dubbla citattecken ("), inte enkla');
      else if (c === ']' || c === '}') throw closedTooEarly(c);
      else throw new Fail(i, 'ogiltigt värde – text ska stå inom dubbla citattecken (")');
    }
    lastValueEnd = i;
  };

  // A value was expected but the list or object closes: a trailing comma, or an empty value.
  const closedTooEarly = (close: string): Fail => {
    let j = i - 1;
    while (j >= 0 && ' \t\n\r'.includes(text[j]!)) j--;
    if (text[j] === ',') return new Fail(j, `ett kommatecken för mycket före ${close} – ta bort kommatecknet efter det sista värdet`);
    return new Fail(i, text[j] === ':' ? 'ett värde saknas efter kolonet' : 'ett värde saknas');
  };

  const separatorMissing = (close: '}' | ']') => new Fail(lastValueEnd, `kommatecken saknas efter värdet (eller en ${close} saknas)`);

  const object = (): void => {
    i++; // {
    ws();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (i >= text.length) throw endOfInput();
      if (text[i] === '}') throw closedTooEarly('}');
      if (text[i] !== '"') throw new Fail(i, 'här ska ett namn inom dubbla citattecken (") stå');
      string();
      ws();
      if (i >= text.length) throw endOfInput();
      if (text[i] !== ':') throw new Fail(i, 'kolon (:) saknas efter namnet');
      i++;
      value();
      ws();
      if (i >= text.length) throw endOfInput();
      if (text[i] === ',') i++;
      else if (text[i] === '}') {
        i++;
        return;
      } else throw separatorMissing('}');
    }
  };

  const array = (): void => {
    i++; // [
    ws();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      ws();
      if (i >= text.length) throw endOfInput();
      if (text[i] === ',') i++;
      else if (text[i] === ']') {
        i++;
        return;
      } else throw separatorMissing(']');
    }
  };

  try {
    value();
    ws();
    if (i < text.length) throw new Fail(i, 'det finns text efter det sista } – ta bort den');
    return undefined;
  } catch (e) {
    if (e instanceof Fail) return { offset: e.offset, message: e.message };
    throw e;
  }
}
