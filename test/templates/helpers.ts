/**
 * Helpers for the template tests: golden files and small .docx templates made from the default.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PizZip from 'pizzip';

export const REPO = path.resolve(__dirname, '..', '..');
export const GOLDEN_DIR = path.join(REPO, 'test', 'fixtures', 'agenda');
export const DEFAULT_DOCX = path.join(REPO, 'templates', 'kallelse.docx');
export const PROTOKOLL_DOCX = path.join(REPO, 'templates', 'protokoll.docx');

/** Compare with a golden file; UPDATE_GOLDEN=1 writes it instead. */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI) throw new Error(`golden file ${name} is missing`);
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'namndbot-mallar-'));
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The default template (or `base`, such as templates/protokoll.docx) with its main text replaced by one paragraph per string. */
export function docxWithParagraphs(paragraphs: string[], base = DEFAULT_DOCX): Buffer {
  const zip = new PizZip(readFileSync(base));
  const body = paragraphs.map((t) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(t)}</w:t></w:r></w:p>`).join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`);
  // No sectPr, so the header and footer parts are unused; they still hold only valid tags.
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
}
