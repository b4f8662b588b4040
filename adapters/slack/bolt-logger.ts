/**
 * Bolt's logger interface on top of the app's pino logger.
 *
 * Bolt's and the Web API client's debug lines can carry request bodies and payloads, which may
 * hold names and motivations, so they go to `trace` and are off at every usual level. A failed
 * signature check is a warn line with Bolt's reason and no body.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/core/logger';

function line(parts: unknown[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof Error) return `${p.name}: ${p.message}`;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(' ');
}

export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ src: 'bolt' });
  return {
    debug: (...msg: unknown[]) => child.trace(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    // The level is pino's; Bolt may not change it.
    setLevel: () => undefined,
    getLevel: () => (child.isLevelEnabled('debug') ? LogLevel.DEBUG : child.isLevelEnabled('info') ? LogLevel.INFO : child.isLevelEnabled('warn') ? LogLevel.WARN : LogLevel.ERROR),
    setName: () => undefined,
  };
}
