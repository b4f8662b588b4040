/**
 * The command language: every command, its words in Swedish, English and ASCII, who may use it,
 * and how `hjälp` explains it. The parser and `hjälp` both read this table, so a command cannot
 * exist without help text and rights.
 */
import type { Role } from '../domain/committee';

export type CommandName =
  | 'help'
  | 'whoami'
  | 'meetings'
  | 'items'
  | 'jav.declare'
  | 'jav.list'
  | 'jav.withdraw'
  | 'jav.overview'
  | 'fraga.announce'
  | 'fraga.list'
  | 'fraga.withdraw'
  | 'fraga.all'
  | 'fraga.accept'
  | 'fraga.decline'
  | 'fraga.move'
  | 'identity.link';

const EVERYONE: readonly Role[] = ['ordförande', 'vice ordförande', 'ledamot', 'ersättare', 'sekreterare', 'handläggare'];
const ELECTED: readonly Role[] = ['ordförande', 'vice ordförande', 'ledamot', 'ersättare'];
const SECRETARY: readonly Role[] = ['sekreterare'];
const SECRETARY_AND_CHAIR: readonly Role[] = ['sekreterare', 'ordförande'];

export interface CommandSpec {
  name: CommandName;
  /** The words that start the command, normalised (lower case, no diacritics). Multi-word allowed. */
  words: readonly string[];
  /** Sub-command words that follow the main words, normalised; empty for the main form. */
  sub: readonly string[];
  roles: readonly Role[];
  /** How it is written, in Swedish. */
  usage: string;
  example: string;
  summary: string;
}

const JAV = ['jav', 'conflict', 'jaev'];
const FRAGA = ['ovrig fraga', 'ovrigfraga', 'ovrig', 'question', 'fraga'];

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'help', words: ['hjalp', 'help', '?'], sub: [], roles: EVERYONE, usage: 'hjälp', example: 'hjälp', summary: 'visar kommandona du kan använda' },
  { name: 'whoami', words: ['vem ar jag', 'whoami', 'jag'], sub: [], roles: EVERYONE, usage: 'vem är jag', example: 'vem är jag', summary: 'visar vem boten känner igen dig som' },
  { name: 'meetings', words: ['moten', 'mote', 'meetings', 'sammantraden'], sub: [], roles: EVERYONE, usage: 'möten', example: 'möten', summary: 'visar kommande sammanträden' },
  { name: 'items', words: ['arenden', 'arende', 'items', 'dagordningen'], sub: [], roles: EVERYONE, usage: 'ärenden [möte <datum>]', example: 'ärenden möte 2027-02-18', summary: 'visar ärendena på nästa (eller ett visst) sammanträde' },
  { name: 'jav.list', words: JAV, sub: ['lista', 'mina', 'list', 'visa'], roles: ELECTED, usage: 'jäv lista', example: 'jäv lista', summary: 'visar dina jävsanmälningar' },
  { name: 'jav.withdraw', words: JAV, sub: ['aterkalla', 'withdraw', 'ta bort', 'stryk'], roles: ELECTED, usage: 'jäv återkalla <id>', example: 'jäv återkalla J3', summary: 'återkallar en av dina jävsanmälningar' },
  { name: 'jav.overview', words: JAV, sub: ['oversikt', 'alla', 'overview', 'all'], roles: SECRETARY_AND_CHAIR, usage: 'jäv översikt [möte <datum>]', example: 'jäv översikt', summary: 'visar alla jävsanmälningar per ärende, med protokollstext' },
  {
    name: 'jav.declare',
    words: JAV,
    sub: [],
    roles: ELECTED,
    usage: 'jäv <ärende> <grund> [motivering]',
    example: 'jäv 14/27 part Min make sitter i föreningens styrelse',
    summary: 'anmäler jäv i ett ärende (ärende: löpnummer, § eller ett ord ur rubriken; grund: part, ställföreträdare, tillsyn eller övrigt)',
  },
  { name: 'fraga.all', words: ['ovriga fragor', 'ovrigafragor', 'questions'], sub: [], roles: SECRETARY_AND_CHAIR, usage: 'övriga frågor [möte <datum>]', example: 'övriga frågor', summary: 'visar alla anmälda övriga frågor' },
  { name: 'fraga.list', words: FRAGA, sub: ['lista', 'mina', 'list', 'visa'], roles: ELECTED, usage: 'övrig fråga lista', example: 'övrig fråga lista', summary: 'visar dina övriga frågor' },
  { name: 'fraga.withdraw', words: FRAGA, sub: ['aterkalla', 'withdraw', 'ta bort', 'stryk'], roles: ELECTED, usage: 'övrig fråga återkalla <id>', example: 'övrig fråga återkalla F2', summary: 'återkallar en av dina övriga frågor' },
  { name: 'fraga.accept', words: FRAGA, sub: ['godkann', 'accept', 'ta upp'], roles: SECRETARY, usage: 'övrig fråga godkänn <id>', example: 'övrig fråga godkänn F2', summary: 'tar upp en övrig fråga på dagordningen' },
  { name: 'fraga.decline', words: FRAGA, sub: ['avsla', 'decline', 'neka'], roles: SECRETARY, usage: 'övrig fråga avslå <id> <skäl>', example: 'övrig fråga avslå F2 Frågan är redan besvarad i ärende 14/27', summary: 'avslår en övrig fråga med ett skäl som ledamoten får' },
  { name: 'fraga.move', words: FRAGA, sub: ['flytta', 'move'], roles: SECRETARY, usage: 'övrig fråga flytta <id> <möte>', example: 'övrig fråga flytta F2 2027-02-18', summary: 'flyttar en övrig fråga till ett annat sammanträde' },
  {
    name: 'fraga.announce',
    words: FRAGA,
    sub: [],
    roles: ELECTED,
    usage: 'övrig fråga [möte <datum>] <frågan>',
    example: 'övrig fråga Hur går arbetet med det nya badhuset?',
    summary: 'anmäler en övrig fråga till nästa (eller ett visst) sammanträde',
  },
  {
    name: 'identity.link',
    words: ['koppla', 'link'],
    sub: [],
    roles: SECRETARY,
    usage: 'koppla <användare> <ledamotens id>',
    example: 'koppla @Amira amira.haddad',
    summary: 'kopplar ett chattkonto på den plattform du skriver från till en ledamot i nämndfilen',
  },
];

export function specFor(name: CommandName): CommandSpec {
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw new Error(`no command ${name}`);
  return spec;
}

export function mayUse(role: Role, name: CommandName): boolean {
  return specFor(name).roles.includes(role);
}
