/**
 * Small pieces every handler uses: refusals, button values and the meeting field of forms.
 */
import type { Committee, Meeting } from '../../domain/committee';
import { formatDateLong } from '../../domain/time';
import { message, type FormField, type Part } from '../message';
import { toAsker, type Outgoing } from '../outgoing';

/** A refusal: said to the asker only, and nothing was changed. */
export function refusal(text: string, ...parts: Part[]): Outgoing {
  return toAsker(message(text, ...parts));
}

/** A button's value: the committee and the arguments, read back by the parser. */
export function actionValue(committee: Committee, args: Record<string, string>): string {
  return new URLSearchParams({ committee: committee.shortName, ...args }).toString();
}

/** The field every form that asks "which sammanträde?" shows: the meetings by their date in words. */
export function meetingField(meetings: readonly Pick<Meeting, 'id' | 'date'>[], chosen: { label?: string; value?: string; error?: string } = {}): FormField {
  return {
    name: 'meeting',
    label: chosen.label ?? 'Sammanträde',
    kind: 'select',
    required: true,
    options: meetings.map((m) => ({ value: m.id, label: formatDateLong(m.date) })),
    ...(chosen.value ? { value: chosen.value } : {}),
    ...(chosen.error ? { error: chosen.error } : {}),
  };
}
