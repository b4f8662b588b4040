/**
 * Every command the docs show runs as written (issue 19), so the docs cannot drift from the code.
 *
 * How a page marks its commands (README.md, docs/**, adapters/* /README.md):
 *   ```sh     shell commands, one a line, run as written from the root of a copy of the clone
 *             (its own ./data; `namndbot` on the PATH as a global install puts it, no terminal
 *             on stdin, so the bot in the terminal ends at the end of input);
 *   ```chat   chat commands, typed one a line in order by the person the page is for (CHAT_AS)
 *             through the core, as the console does;
 *   ```text   syntax, output or a drawing, not run; yaml, nginx and other languages likewise.
 * A block without a language fails the test, so no command hides in one. Inline code that starts
 * like a shell command (namndbot, npx, npm, node, printf) is one too: run when it is complete,
 * and when it shows syntax (<…>, […], …) its command words and options are checked against
 * `namndbot hjälp`.
 *
 * A command passes when it exits 0 (or the code EXPECTED_CODE gives, with the reason), says
 * nothing of an unknown command, and (the bot's own commands) answers in Swedish. EXEMPT lists
 * what is not run, GIVEN what a page takes as given (a damaged data file), each with the reason.
 */
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCommitteeFile } from '../../src/config/committee-file';
import { Core } from '../../src/core/core';
import { AdapterDelivery } from '../../src/core/delivery';
import { toPlainText } from '../../src/core/message';
import { ManualClock } from '../../src/domain/clock';
import { FileStore } from '../../src/store/file-store';
import { templateAgendaRenderer } from '../../src/templates';
import { cleanEnv, ROOT } from '../ops/support';
import { runProcess, type CliResult } from '../support/cli';
import { RecordingAdapter } from '../support/recording-adapter';

/** Shell commands the test does not run, each with the reason. */
const EXEMPT: Record<string, string> = {
  'npm install && npm start': 'installs from the registry and rewrites node_modules (CI runs npm ci); `npm start` is run on its own',
  'npm test': 'the whole suite, this test included; CI runs it',
  'npm ci': 'installs from the registry and rewrites node_modules; CI runs it first',
  'npm run bench': 'every benchmark, minutes long; figures, not a pass or fail',
  'npm run bench -- core agenda': 'benchmarks, minutes long',
  'npm run bench -- scheduler': 'a benchmark of 6,000 committees, minutes long',
  'npm run bench -- ops': 'a benchmark, minutes long',
  'npm run bench -- history': 'a benchmark of 200,000 records, minutes long',
  'npx tsx bench/teams.ts': 'a benchmark, minutes long',
  'node --optimize-for-size --import tsx bench/run.ts scheduler core slack': 'benchmarks, one of 6,000 committees, minutes long',
  'node --optimize-for-size --import tsx bench/run.ts': 'every benchmark under a V8 setting, fifteen minutes long',
  'npx jest test/teams': 'a test suite of its own; npm test runs it',
  'npx tsx adapters/teams/build-icons.ts': 'redraws the committed icons; test/teams checks the icons',
  'MicrosoftAppId=<app id> npm run package:teams # writes dist/namndbot-teams.zip': 'needs the Azure app id put in; test/teams builds the package with one',
  'MicrosoftAppId=<app id> npm run package:teams -- app.zip # or anywhere else': 'needs the Azure app id put in; test/teams builds the package with one',
  'npm run package:teams': 'named as the script; without MicrosoftAppId it stops and says so (see the block with the id)',
  'npm install': 'installs from the registry and rewrites node_modules (CI runs npm ci)',
  'npm install -g .': 'installs into the machine\'s global folder; test/docs/bin.test.ts runs namndbot through a link on the PATH as that install makes it',
  'npm install --package-lock-only --ignore-scripts': 'asks the registry and rewrites package-lock.json; test/ops/lockfile.test.ts checks the lockfile',
};

/** Shell commands that end with another code than 0 as the docs describe, and why. */
const EXPECTED_CODE: Record<string, { code: number; says: string; why: string }> = {
  'npm run namndbot -- import examples/kfn-arendelista.csv --meeting 2027-02-18': {
    code: 1,
    says: 'Inget har sparats. Kör igen med --ja för att spara importen.',
    why: 'no terminal to answer ja in: the preview is shown and nothing saved, as the page says',
  },
  'namndbot retention': {
    code: 1,
    says: 'Gallring är avstängd: NAMNDBOT_RETENTION_DAYS är inte satt.',
    why: 'retention is off until NAMNDBOT_RETENTION_DAYS is set, and the answer says how',
  },
};

/** What a page takes as given before a command, set up in the copy first, and why. */
const GIVEN: Record<string, { script: string; why: string }> = {
  'cp -a data data-copy': {
    script: `mkdir -p data/streams && printf '%s\\n' '{"skadad' > data/streams/kfn.jsonl`,
    why: 'the recovery steps in docs/it/operations.md start from a data folder with a damaged line',
  },
};

/** Chat commands that answer otherwise in the console than on the platform the docs mean, and why. */
const CHAT_EXPECTED: Record<string, { says: string; why: string }> = {
  'för @Amira: jäv 14/27 part': {
    says: 'Det finns ingen ledamot med id "Amira" i Kultur- och fritidsnämnden.',
    why: 'a mention names an account the platform knows, and the console has none; test/slack records for a member named by her Slack mention',
  },
  'koppla @Amira amira.haddad': {
    says: 'Konton kopplas från den chattplattform kontot finns på: skriv kommandot i Slack eller Teams.',
    why: 'the page says to write it on the platform the account is on; test/slack and test/teams link an account that way',
  },
};

/**
 * Commands that only answer (lists, overviews, help). Every other command the docs show is an
 * example of something recorded, so it must record: a refusal answers, but records nothing.
 */
const ANSWERS_ONLY = /\.(list|all|overview)$|^(help|whoami|items|meetings)$/;

/** Who types a page's chat commands. */
const CHAT_AS: Record<string, string> = {
  'docs/ledamot.md': 'amira.haddad',
  'docs/forhinder-och-jav.md': 'amira.haddad',
  'docs/sekreterare.md': 'maria.ekstrom',
  'docs/paminnelser.md': 'maria.ekstrom',
};
const SECRETARY = 'maria.ekstrom';
const MEMBER = 'amira.haddad';
/** The chat commands run on the example committee at this time: before its first meeting. */
const CHAT_NOW = '2027-01-10T10:00:00+01:00';

function pages(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));
  const adapters = readdirSync(path.join(ROOT, 'adapters')).map((a) => path.join('adapters', a, 'README.md'));
  return ['README.md', ...docs, ...adapters].filter((f) => { try { readFileSync(path.join(ROOT, f)); return true; } catch { return false; } }).sort();
}

interface Block {
  page: string;
  line: number;
  lang: string;
  lines: string[];
}

function fencedBlocks(page: string, text: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | undefined;
  text.split('\n').forEach((raw, i) => {
    const fence = /^\s*```(\S*)/.exec(raw);
    if (fence && !open) open = { page, line: i + 1, lang: fence[1]!, lines: [] };
    else if (fence && open) {
      blocks.push(open);
      open = undefined;
    } else if (open) open.lines.push(raw.replace(/\s+/g, ' ').trim());
  });
  return blocks;
}

const SHELL_START = /^(?:npx |npm |namndbot(?: |$)|node |printf |MicrosoftAppId=)/;
const PLACEHOLDER = /[<[…]/;

/** Inline code outside the fenced blocks that is a shell command; `\|` in a table cell is a `|`. */
function inlineCommands(text: string): string[] {
  const prose = text.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
  return [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' ').replace(/\\\|/g, '|').trim()).filter((c) => SHELL_START.test(c));
}

/** Inline code on a page that may be a chat command: not shell, not syntax, not a slash command. */
function chatSpans(page: string): string[] {
  const prose = readFileSync(path.join(ROOT, page), 'utf8').replace(/^\s*```[\s\S]*?^\s*```/gm, '');
  return [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim()).filter((c) => c && !SHELL_START.test(c) && !PLACEHOLDER.test(c) && !c.startsWith('/'));
}

const all = pages().map((page) => ({ page, text: readFileSync(path.join(ROOT, page), 'utf8') }));
const blocks = all.flatMap(({ page, text }) => fencedBlocks(page, text));

/** Each shell command once, with the first page that shows it. */
const shell = new Map<string, string>();
for (const { page, text } of all) {
  const fenced = blocks.filter((b) => b.page === page && b.lang === 'sh').flatMap((b) => b.lines.filter((l) => l && !l.startsWith('#')));
  for (const c of [...fenced, ...inlineCommands(text)]) if (!shell.has(c)) shell.set(c, page);
}
const runnable = [...shell].filter(([c]) => !EXEMPT[c] && !PLACEHOLDER.test(c));
const syntax = [...shell].filter(([c]) => !EXEMPT[c] && PLACEHOLDER.test(c));

/** A command that runs the bot or one of its tools (not the build step, not a file tool). */
const RUNS_THE_BOT = /\bnamndbot\b|npm start|bin\/main\.(ts|js)\b/;
const SWEDISH = /[åäöÅÄÖ]|\b(och|är|inte|för|till|som|med|på|av|det|den|du|har|kan|skriv|skrev|ingen|inga)\b/i;
const NOT_UNDERSTOOD = /Jag förstår inte|Okänt kommando|could not determine executable|command not found|Missing script/;

test('every fenced block says what it is (sh, chat, text or a language)', () => {
  expect(blocks.filter((b) => b.lang === '').map((b) => `${b.page}:${b.line}`)).toEqual([]);
  expect(blocks.filter((b) => b.lang === 'chat' && !CHAT_AS[b.page]).map((b) => `${b.page}:${b.line}`)).toEqual([]);
  // The test finds what it should: a drift in the marking shows here.
  expect(runnable.length).toBeGreaterThanOrEqual(15);
  expect(blocks.filter((b) => b.lang === 'chat').length).toBeGreaterThanOrEqual(3);
});

test('every exemption and expected answer names a command the docs still show', () => {
  expect([...Object.keys(EXEMPT), ...Object.keys(EXPECTED_CODE), ...Object.keys(GIVEN)].filter((c) => !shell.has(c))).toEqual([]);
  const chatLines = new Set([...blocks.filter((b) => b.lang === 'chat').flatMap((b) => b.lines), ...Object.keys(CHAT_AS).flatMap((p) => chatSpans(p))]);
  expect(Object.keys(CHAT_EXPECTED).filter((l) => !chatLines.has(l))).toEqual([]);
});

describe('shell commands, run as written in a copy of the clone', () => {
  const copies: string[] = [];
  let usage: string;
  const results = new Map<string, Promise<CliResult>>();

  /** A copy of the clone with its own ./data, and the environment with `namndbot` on the PATH. */
  async function copyOfClone(): Promise<{ copy: string; env: NodeJS.ProcessEnv }> {
    const copy = await mkdtemp(path.join(tmpdir(), 'namndbot-docs-'));
    copies.push(copy);
    const skip = new Set(['node_modules', '.git', 'data', 'coverage', 'scratch', 'tmp']);
    await cp(ROOT, copy, { recursive: true, filter: (src) => !skip.has(path.relative(ROOT, src).split(path.sep)[0]!) });
    await symlink(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    // `namndbot` as a global install puts it on the PATH: a link to the package's bin.
    const globalBin = path.join(copy, '.global-bin');
    await mkdir(globalBin);
    await symlink(path.join(copy, 'bin/namndbot.js'), path.join(globalBin, 'namndbot'));
    return { copy, env: cleanEnv({ PATH: `${globalBin}:${process.env.PATH}` }) };
  }

  beforeAll(async () => {
    const first = await copyOfClone();
    usage = (await runProcess('/bin/sh', ['-c', 'namndbot hjälp'], { cwd: first.copy, env: first.env })).stdout;
    // Each page's commands one after another, in its own copy: they share ./data, where one
    // process writes. Two pages at a time. The bot in the terminal is given `hjälp` to answer,
    // as a newcomer would type it, and stops at the end of input.
    const lanes = [Promise.resolve(), Promise.resolve()];
    [...new Set(runnable.map(([, page]) => page))].forEach((page, i) => {
      const setUp = lanes[i % lanes.length]!.then(() => copyOfClone());
      let previous: Promise<unknown> = setUp;
      for (const [command] of runnable.filter(([, p]) => p === page)) {
        const given = GIVEN[command] ? `${GIVEN[command]!.script}\n` : '';
        const result = previous.then(() => setUp).then(({ copy, env }) => runProcess('/bin/bash', ['-o', 'pipefail', '-c', `${given}${command}`], { cwd: copy, env, stdin: 'hjälp\n' }));
        results.set(command, result);
        previous = result.catch(() => undefined);
      }
      lanes[i % lanes.length] = previous.then(() => undefined);
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...results.values()].map((r) => r.catch(() => undefined)));
    await Promise.all(copies.map((c) => rm(c, { recursive: true, force: true })));
  });

  test.each(runnable)('%s (%s)', async (command) => {
    const r = await results.get(command)!;
    const expected = EXPECTED_CODE[command];
    const said = `${r.stdout}\n${r.stderr}`;
    expect({ command, code: r.code, stderr: r.code === (expected?.code ?? 0) ? '' : r.stderr.slice(-3000) }).toEqual({ command, code: expected?.code ?? 0, stderr: '' });
    if (expected) expect(said).toContain(expected.says);
    expect(said).not.toMatch(NOT_UNDERSTOOD);
    // The bot answers in Swedish; the build step and file tools (cp, ls, cat) say what they say, or nothing.
    if (RUNS_THE_BOT.test(command)) expect(said).toMatch(SWEDISH);
  }, 600_000);

  test.each(syntax)('syntax %s (%s) matches namndbot hjälp', (command) => {
    const words = /^(?:npx namndbot|npm run namndbot --|npx tsx bin\/main\.ts|namndbot)((?: [a-zäö]+)*)(.*)$/.exec(command);
    expect(words).not.toBeNull();
    const sub = words![1]!.trim();
    if (!sub) return; // `namndbot <command>`: the placeholder is the command
    const entry = usage.split(/\n(?=  namndbot )/).find((e) => new RegExp(`^\\s*namndbot \\[?${sub}\\b`).test(e));
    expect({ command, found: Boolean(entry) }).toEqual({ command, found: true });
    for (const option of words![2]!.match(/--[a-z-]+/g) ?? []) expect({ command, option, inUsage: entry!.includes(option) }).toEqual({ command, option, inUsage: true });
  });
});

/** A session on the example committee: what the person typing a line gets back, and how the core took it. */
async function withChat(as: string, fn: (say: (line: string, who?: string) => Promise<{ text: string; forms: number; command?: string; outcome?: string }>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'namndbot-docs-chat-'));
  const store = await FileStore.open({ dataDir: dir });
  try {
    const committee = await loadCommitteeFile(path.join(ROOT, 'examples/kfn.yaml'));
    const delivery = new AdapterDelivery();
    delivery.register(new RecordingAdapter('console'));
    const handled: { command: string; outcome: string }[] = [];
    const observer = { commandHandled: (command: string, outcome: string) => void handled.push({ command, outcome }), storeError: () => undefined };
    const core = new Core({ committees: [committee], store, clock: new ManualClock(CHAT_NOW), delivery, renderer: templateAgendaRenderer, observer });
    let n = 0;
    await fn(async (line, who = as) => {
      handled.length = 0;
      const replies = await core.handle({ deliveryId: `docs-${++n}`, platform: 'console', platformUserId: who, place: { kind: 'private' }, input: { kind: 'text', text: line } });
      const forms = replies.flatMap((o) => o.message.parts).filter((p) => p.kind === 'form').length;
      return { text: replies.map((o) => toPlainText(o.message)).join('\n'), forms, ...handled.at(-1) };
    });
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('chat commands, typed through the core by the person the page is for', () => {
  const chat = blocks.filter((b) => b.lang === 'chat' && CHAT_AS[b.page]);

  test.each(chat.map((b) => [`${b.page}:${b.line}`, b] as const))('%s', async (_, block) => {
    await withChat(CHAT_AS[block.page]!, async (say) => {
      for (const line of block.lines.filter(Boolean)) {
        const { text, forms, ...last } = await say(line);
        const expected = CHAT_EXPECTED[line] || ANSWERS_ONLY.test(last.command ?? '') ? 'answered' : 'recorded';
        expect({ line, outcome: last.outcome, forms }).toEqual({ line, outcome: expected, forms: 0 });
        expect({ line, text }).toEqual({ line, text: expect.stringMatching(SWEDISH) });
        expect(text).not.toMatch(NOT_UNDERSTOOD);
        if (CHAT_EXPECTED[line]) expect(text).toContain(CHAT_EXPECTED[line]!.says);
      }
    });
  });

  // Inline code on these pages that the bot takes as a command (a word or value quoted in the
  // prose is not one), typed in the page's order: understood, allowed, answered in Swedish. The
  // answer may depend on what came before (a withdrawal of J3 when there is none), so it need not record.
  test.each(Object.keys(CHAT_AS))('inline commands on %s', async (page) => {
    const spans = chatSpans(page);
    const understood: string[] = [];
    await withChat(CHAT_AS[page]!, async (say) => {
      for (const span of spans) {
        let r = await say(span);
        // Not a command: a word or a value the prose quotes. A misspelt command of more than one
        // word ("överig fråga") gets a "Menade du" and fails below.
        if (r.outcome === 'parse-unknown' && !(/Menade du/.test(r.text) && span.includes(' '))) continue;
        // A page for members also names what the secretary does (närvaro), and hers what members do
        // (jäv lista): typed by the other one.
        if (r.outcome === 'forbidden') r = await say(span, CHAT_AS[page] === SECRETARY ? MEMBER : SECRETARY);
        understood.push(span);
        if (CHAT_EXPECTED[span]) {
          expect(r.text).toContain(CHAT_EXPECTED[span]!.says);
          continue;
        }
        expect({ span, outcome: r.outcome }).toEqual({ span, outcome: expect.stringMatching(/^(recorded|answered)$/) });
        expect({ span, text: r.text }).toEqual({ span, text: expect.stringMatching(SWEDISH) });
      }
    });
    expect(understood.length).toBeGreaterThan(0);
  }, 120_000);
});
