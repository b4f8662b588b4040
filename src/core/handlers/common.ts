/**
 * Small pieces every handler uses: refusals and button values.
 */
import type { Committee } from '../../domain/committee';
import { message, type Part } from '../message';
import { toAsker, type Outgoing } from '../outgoing';

/** A refusal: said to the asker only, and nothing was changed. */
export function refusal(text: string, ...parts: Part[]): Outgoing {
  return toAsker(message(text, ...parts));
}

/** A button's value: the committee and the arguments, read back by the parser. */
export function actionValue(committee: Committee, args: Record<string, string>): string {
  return new URLSearchParams({ committee: committee.shortName, ...args }).toString();
}
