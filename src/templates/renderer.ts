/**
 * The core's AgendaRenderer, apart from the rest of templates/ so that a start does not load the
 * template engines (docxtemplater, LiquidJS): the agenda is rendered in the render thread, and
 * the protokoll's renderer is loaded at the first protokoll.
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

const renderThread = new RenderThread();

/**
 * A committee's own templates folder when it names one, else the defaults; rendered in the
 * render thread (thread.ts), so that no template holds up the bot.
 */
export const templateAgendaRenderer = {
  /** The protokoll is rendered in this thread: its view is small and renderDocxBuffer checks its own deadline. */
  renderProtokoll: async (protokoll: Protokoll, committee: { settings: { templates?: string } }) => {
    const { renderProtokoll } = require('./protokoll') as typeof import('./protokoll');
    return renderProtokoll(protokoll, { templatesDir: committee.settings.templates });
  },
  render: async (agenda: Agenda, committee: { settings: { templates?: string } }): Promise<AgendaDraftFiles> => {
    const files = await renderThread.render(agenda, { templatesDir: committee.settings.templates });
    return { markdown: files.markdown, docx: Buffer.from(files.docx.buffer, files.docx.byteOffset, files.docx.byteLength), baseName: draftBaseName(agenda) };
  },
};
