import { parseInput, parseText as parseWith, MAX_INPUT_CHARS } from '../../src/core/parser';
import { COMMANDS } from '../../src/core/registry';

const parseText = (text: string, shortNames: string[] = []) => parseWith(text, COMMANDS, shortNames);

describe('parseText: commands in Swedish, English and ASCII', () => {
  test.each([
    ['hjälp', 'help', {}],
    ['HJÄLP', 'help', {}],
    ['hjalp', 'help', {}],
    ['help', 'help', {}],
    ['  hjälp   ', 'help', {}],
    ['/hjälp', 'help', {}],
    ['möten', 'meetings', {}],
    ['meetings', 'meetings', {}],
    ['vem är jag', 'whoami', {}],
    ['ärenden', 'items', {}],
    ['arenden möte 2027-02-18', 'items', { meeting: '2027-02-18' }],
    ['ärenden 2027-02-18', 'items', { meeting: '2027-02-18' }],
    ['jäv 3/27 part', 'jav.declare', { item: '3/27', ground: 'part' }],
    ['jav 3 part Min bror driver företaget', 'jav.declare', { item: '3', ground: 'part', text: 'Min bror driver företaget' }],
    ['JÄV   3   PART', 'jav.declare', { item: '3', ground: 'PART' }],
    ['conflict 3 party', 'jav.declare', { item: '3', ground: 'party' }],
    ['jäv § 21 tillsyn', 'jav.declare', { item: '§21', ground: 'tillsyn' }],
    ['jäv möte 2027-02-18 2 övrigt', 'jav.declare', { meeting: '2027-02-18', item: '2', ground: 'övrigt' }],
    ['jäv', 'jav.declare', {}],
    ['jäv lista', 'jav.list', {}],
    ['jav mina', 'jav.list', {}],
    ['jäv återkalla J3', 'jav.withdraw', { id: 'J3' }],
    ['jav aterkalla j3', 'jav.withdraw', { id: 'j3' }],
    ['jäv översikt', 'jav.overview', {}],
    ['jäv översikt 2027-02-18', 'jav.overview', { meeting: '2027-02-18' }],
    ['övrig fråga Hur går det med badhuset?', 'fraga.announce', { text: 'Hur går det med badhuset?' }],
    ['Övrig fråga: Hur går det?', 'fraga.announce', { text: 'Hur går det?' }],
    ['ovrig fraga hej', 'fraga.announce', { text: 'hej' }],
    ['question hej', 'fraga.announce', { text: 'hej' }],
    ['övrig fråga möte 2027-02-18 Hur går det?', 'fraga.announce', { meeting: '2027-02-18', text: 'Hur går det?' }],
    ['övrig fråga', 'fraga.announce', {}],
    ['övrig fråga lista', 'fraga.list', {}],
    ['övrig fråga återkalla F2', 'fraga.withdraw', { id: 'F2' }],
    ['övriga frågor', 'fraga.all', {}],
    ['övrig fråga godkänn F2', 'fraga.accept', { id: 'F2' }],
    ['övrig fråga avslå F2 Redan besvarad', 'fraga.decline', { id: 'F2', text: 'Redan besvarad' }],
    ['övrig fråga flytta F2 till 2027-02-18', 'fraga.move', { id: 'F2', meeting: '2027-02-18' }],
    ['övrig fråga flytta F2 möte 2027-02-18', 'fraga.move', { id: 'F2', meeting: '2027-02-18' }],
    ['koppla @U123ABC amira.haddad', 'identity.link', { id: 'U123ABC', member: 'amira.haddad' }],
  ])('%j → %s', (text, name, args) => {
    const r = parseText(text);
    expect(r).toEqual({ ok: true, command: { name, args, fromForm: false } });
  });

  test('a committee short name first picks the committee', () => {
    expect(parseText('KFN jäv 3 part', ['KFN', 'SON'])).toEqual({
      ok: true,
      command: { name: 'jav.declare', args: { committee: 'KFN', item: '3', ground: 'part' }, fromForm: false },
    });
  });
});

describe('parseText: bad input', () => {
  test.each([[''], ['   '], ['\u0000\u0007'], ['\t\n']])('empty: %j', (text) => {
    expect(parseText(text)).toEqual({ ok: false, problem: 'empty' });
  });

  test('unknown command', () => {
    expect(parseText('blargh 3')).toEqual({ ok: false, problem: 'unknown', word: 'blargh' });
  });

  test('other scripts are unknown commands, not crashes', () => {
    expect(parseText('ジャブ 3 パート')).toEqual({ ok: false, problem: 'unknown', word: 'ジャブ' });
    expect(parseText('жэв 3')).toEqual({ ok: false, problem: 'unknown', word: 'жэв' });
  });

  test('free text in other scripts is kept as written', () => {
    expect(parseText('övrig fråga مرحبا 你好')).toEqual({ ok: true, command: { name: 'fraga.announce', args: { text: 'مرحبا 你好' }, fromForm: false } });
  });

  test('10,000 characters are refused before any work', () => {
    const r = parseText(`övrig fråga ${'a'.repeat(10_000)}`);
    expect(r).toEqual({ ok: false, problem: 'too-long', length: 10_012 });
  });

  test('exactly the limit is read', () => {
    const r = parseText(`övrig fråga ${'a'.repeat(MAX_INPUT_CHARS - 12)}`);
    expect(r.ok).toBe(true);
  });

  test('control characters are removed, tabs and newlines become spaces', () => {
    expect(parseText('jäv\u0000 3\u0007\tpart\nMin\u200b bror')).toEqual({
      ok: true,
      command: { name: 'jav.declare', args: { item: '3', ground: 'part', text: 'Min bror' }, fromForm: false },
    });
  });

  test('an unknown word is cut to 40 characters in the answer', () => {
    const r = parseText('x'.repeat(100));
    expect(r).toEqual({ ok: false, problem: 'unknown', word: 'x'.repeat(40) });
  });
});

describe('parseInput: forms and buttons', () => {
  test('a submitted form becomes its command with the values', () => {
    expect(parseInput({ kind: 'form', formId: 'jav.declare', values: { committee: 'kfn', meeting: 'm1', item: '3/27', ground: 'partsjav', text: '  ', extra: 'x' } }, COMMANDS)).toEqual({
      ok: true,
      command: { name: 'jav.declare', args: { committee: 'kfn', meeting: 'm1', item: '3/27', ground: 'partsjav' }, fromForm: true },
    });
  });

  test('a button press carries url-encoded arguments', () => {
    expect(parseInput({ kind: 'action', actionId: 'jav.withdraw', value: 'committee=KFN&id=J3' }, COMMANDS)).toEqual({
      ok: true,
      command: { name: 'jav.withdraw', args: { committee: 'KFN', id: 'J3' }, fromForm: false },
    });
  });

  test('an unknown form or action is refused', () => {
    expect(parseInput({ kind: 'action', actionId: 'rm -rf', value: '' }, COMMANDS)).toEqual({ ok: false, problem: 'unknown-action', actionId: 'rm -rf' });
    expect(parseInput({ kind: 'form', formId: 'constructor', values: {} }, COMMANDS)).toEqual({ ok: false, problem: 'unknown-action', actionId: 'constructor' });
  });
});
