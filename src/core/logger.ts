/**
 * Logging: pino, structured. Log lines carry ids (committee, member, declaration, delivery),
 * command names and outcomes, never names, motivations, question texts or ärende titles.
 */
import pino from 'pino';

export type Logger = pino.Logger;

/** `fd` 1 is stdout (servers), 2 is stderr (the console adapter keeps stdout for replies). */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  return pino({ level, base: { app: 'namndbot' } }, pino.destination({ fd, sync: fd === 2 }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
