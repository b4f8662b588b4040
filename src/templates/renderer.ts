/**
 * The core's AgendaRenderer, apart from the rest of templates/ so that a start does not load the
 * template engines (docxtemplater, LiquidJS): the agenda and the protokoll are rendered in the
 * render thread, which loads them.
 */
import type { Agenda } from '../domain/agenda';
import type { Protokoll } from '../domain/protokoll';
import { RenderThread } from './thread';

export interface AgendaDraftFiles {
  markdown: string;
  docx: Buffer;
  /** "dagordning-2025-02-13-kfn": a file name stem without extension. */
  baseName: string;
}

export function draftBaseName(agenda: Agenda): string {
  return `dagordning-${agenda.meeting.date}-${agenda.committee.id}`;
}

/** "protokoll-2027-01-21-kfn": a file name stem without extension. */
export function protokollBaseName(protokoll: Pick<Protokoll, 'meeting' | 'committee'>): string {
  return `protokoll-${protokoll.meeting.date}-${protokoll.committee.id}`;
}

const renderThread = new RenderThread();

/**
 * A committee's own templates folder when it names one, else the defaults; rendered in the
 * render thread (thread.ts), so that no template holds up the bot.
 */
export const templateAgendaRenderer = {
  /** The protokoll goes through the same render thread: a greedy protokoll template holds up nothing either. */
  renderProtokoll: async (protokoll: Protokoll, committee: { settings: { templates?: string } }) => {
    const files = await renderThread.renderProtokoll(protokoll, { templatesDir: committee.settings.templates });
    return { markdown: files.markdown, docx: Buffer.from(files.docx.buffer, files.docx.byteOffset, files.docx.byteLength), baseName: protokollBaseName(protokoll) };
  },
  render: async (agenda: Agenda, committee: { settings: { templates?: string } }): Promise<AgendaDraftFiles> => {
    const files = await renderThread.render(agenda, { templatesDir: committee.settings.templates });
    return { markdown: files.markdown, docx: Buffer.from(files.docx.buffer, files.docx.byteOffset, files.docx.byteLength), baseName: draftBaseName(agenda) };
  },
};
