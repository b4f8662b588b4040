/**
 * A retry lands once: every command a member or the secretary can send that records something,
 * sent twice by the same person (a double send, or "send the same again" after the bot could not
 * tell whether it was saved), leaves the state as after the first. The second is answered as
 * already done.
 *
 * The table lists every command of the registry that writes (a test below checks that none is
 * missing). Where the second answer is not "redan … Inget ändrades", the row says why.
 *
 * Example committee (examples/kfn.yaml); before the meeting on 2027-01-21 (at 2027-01-10), or, for
 * the protokoll and the justering, after it with the dagordning made.
 */
import { COMMANDS } from '../../src/core/registry';
import { makeHarness, plain, type Harness } from '../support/harness';

const SECRETARY = 'maria.ekstrom';
const AMIRA = 'amira.haddad';
const NILS = 'nils.holmgren';
const MEETING = '2027-01-21';
const AFTER_MEETING = '2027-01-21T17:00:00+01:00';
const IMPORT_TEXT = ['import möte 2027-02-18', 'Dagordning', '40/27 Medborgarförslag om utegym', '41/27 Ny idrottshall i Sjöbacka'].join('\n');

type Step = [who: string, command: string];
interface Row {
  /** The command's name in the registry. */
  command: string;
  /** Before the command: steps that must be accepted; `after` moves the clock past the meeting first. */
  setup?: Step[];
  after?: boolean;
  send: Step;
  /** What the second answer says. */
  again: RegExp;
  /** Sent from this platform instead of the console. */
  platform?: 'slack';
}

/** "… redan … Inget ändrades." (or "Inget nytt sparades."): the answer to a retry. */
const ALREADY = /redan.*(Inget ändrades|Inget nytt sparades)/is;
const AGENDA = `dagordning möte ${MEETING}`;
const JUSTERING = `justering ${MEETING} amira.haddad senast 2027-02-01`;
/** The protokoll sent for justering to Amira and the ordförande. */
const SENT: Step[] = [[SECRETARY, AGENDA], [SECRETARY, JUSTERING], [SECRETARY, 'protokoll'], [SECRETARY, 'protokoll klart']];
const QUESTION: Step = [AMIRA, 'övrig fråga Hur går arbetet med badhuset?'];

const ROWS: Row[] = [
  { command: 'jav.declare', send: [AMIRA, 'jäv 3/27 part Min make sitter i styrelsen'], again: ALREADY },
  { command: 'jav.withdraw', setup: [[AMIRA, 'jäv 3/27 part']], send: [AMIRA, 'jäv återkalla J1'], again: ALREADY },
  { command: 'interest.add', send: [AMIRA, 'engagemang styrelse Sjöbacka Ridklubb 802456-7890'], again: ALREADY },
  { command: 'interest.remove', setup: [[AMIRA, 'engagemang styrelse Sjöbacka Ridklubb 802456-7890']], send: [AMIRA, 'engagemang ta bort I1'], again: ALREADY },
  { command: 'forhinder.report', send: [AMIRA, `förhinder ${MEETING}`], again: ALREADY },
  { command: 'forhinder.withdraw', setup: [[AMIRA, `förhinder ${MEETING}`]], send: [AMIRA, 'förhinder återkalla H1'], again: ALREADY },
  { command: 'ersattare.accept', setup: [[AMIRA, `förhinder ${MEETING}`]], send: [NILS, 'ersättare ja E1'], again: ALREADY },
  // The ask is closed by the first answer; the second is told so.
  { command: 'ersattare.decline', setup: [[AMIRA, `förhinder ${MEETING}`]], send: [NILS, 'ersättare nej E1'], again: /inte längre öppen \(har tackat nej\)\. Inget ändrades/ },
  { command: 'fraga.announce', send: QUESTION, again: ALREADY },
  { command: 'fraga.withdraw', setup: [QUESTION], send: [AMIRA, 'övrig fråga återkalla F1'], again: ALREADY },
  { command: 'fraga.accept', setup: [QUESTION], send: [SECRETARY, 'övrig fråga godkänn F1'], again: ALREADY },
  { command: 'fraga.decline', setup: [QUESTION], send: [SECRETARY, 'övrig fråga avslå F1 Frågan är besvarad i ärende 3/27'], again: ALREADY },
  { command: 'fraga.move', setup: [QUESTION], send: [SECRETARY, 'övrig fråga flytta F1 2027-02-18'], again: ALREADY },
  { command: 'meeting.add', send: [SECRETARY, 'möte ny 2027-03-18 kl. 9.00–12.00 Stadshuset, sal 2'], again: ALREADY },
  { command: 'item.add', send: [SECRETARY, `ärende ny möte ${MEETING} 40/27 Medborgarförslag om utegym`], again: ALREADY },
  { command: 'item.retitle', send: [SECRETARY, `ärende rubrik möte ${MEETING} 7/27 Yttrande om sommarsimskolan`], again: ALREADY },
  { command: 'item.move', send: [SECRETARY, `ärende flytta möte ${MEETING} 7/27 före 2/27`], again: ALREADY },
  { command: 'item.remove', send: [SECRETARY, `ärende ta bort möte ${MEETING} 7/27`], again: ALREADY },
  { command: 'item.sekretess', send: [SECRETARY, `ärende sekretess möte ${MEETING} 7/27`], again: ALREADY },
  // The preview waits until saved; once saved there is nothing left to save.
  { command: 'import.confirm', setup: [[SECRETARY, IMPORT_TEXT]], send: [SECRETARY, 'import spara'], again: /ingen import som väntar på att sparas/ },
  // An unchanged draft is the same version again, with its documents (issue 19.9).
  { command: 'agenda.draft', send: [SECRETARY, AGENDA], again: /Utkast 1 till kallelse/ },
  { command: 'identity.link', send: [SECRETARY, 'koppla @U0NEWACCT amira.haddad'], again: ALREADY, platform: 'slack' },
  { command: 'narvaro', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'närvaro alla nils.holmgren'], again: ALREADY },
  { command: 'protokoll.draft', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'protokoll'], again: /Utkast 1 till protokoll.*Inget har ändrats sedan version 1, så ingen ny version sparades/s },
  { command: 'protokoll.send', after: true, setup: SENT.slice(0, 3), send: [SECRETARY, 'protokoll klart'], again: ALREADY },
  { command: 'protokoll.tjanstgoring', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'tjänstgör nils.holmgren för amira.haddad 9'], again: ALREADY },
  { command: 'protokoll.beslut', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'beslut 2/27 enligt förslag'], again: ALREADY },
  { command: 'protokoll.votering', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'votering 2/27 ja 6 nej 3 avstår 0'], again: ALREADY },
  { command: 'protokoll.yrkande', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'yrkande 2/27 mikael.oberg avslag på förslaget'], again: ALREADY },
  { command: 'protokoll.reservation', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'reservation 2/27 mikael.oberg till förmån för eget yrkande'], again: ALREADY },
  { command: 'protokoll.anteckning', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'protokollsanteckning 2/27 amira.haddad Vi välkomnar satsningen.'], again: ALREADY },
  { command: 'protokoll.expedieras', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'expedieras 2/27 Kultur- och fritidsförvaltningen, Ekonomienheten'], again: ALREADY },
  { command: 'protokoll.beskrivning', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'beskrivning 2/27 Förvaltningen redovisar budgeten för 2026.'], again: ALREADY },
  { command: 'protokoll.kommentar', after: true, setup: SENT, send: [AMIRA, 'kommentar § 9 ska vara enligt förslaget'], again: ALREADY },
  { command: 'protokoll.narvaro', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'närvaro registrera amira.haddad 1–9'], again: ALREADY },
  { command: 'protokoll.exclude', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, 'protokoll utan § 12'], again: ALREADY },
  { command: 'protokoll.include', after: true, setup: [[SECRETARY, AGENDA], [SECRETARY, 'protokoll utan § 12']], send: [SECRETARY, 'protokoll med § 12'], again: ALREADY },
  { command: 'justering.record', after: true, setup: [[SECRETARY, AGENDA]], send: [SECRETARY, `justering ${MEETING} amira.haddad johan.sjoberg senast 2027-02-01`], again: ALREADY },
  { command: 'justering.sign', after: true, setup: SENT, send: [AMIRA, `justerat ${MEETING}`], again: ALREADY },
  { command: 'anslag.record', after: true, setup: [...SENT, [AMIRA, 'justerat'], ['karin.lundqvist', 'justerat']], send: [SECRETARY, `anslaget ${MEETING} ${MEETING}`], again: ALREADY },
  // The secretary for a member: the member's own command, recorded once.
  { command: 'jav.declare', send: [SECRETARY, 'för amira.haddad: jäv 3/27 part'], again: ALREADY },
];

/** Commands that record nothing: they show, or only start what another command records. */
const READ_ONLY = ['help', 'whoami', 'meetings', 'items', 'jav.list', 'jav.overview', 'interest.list', 'forhinder.list', 'ersattare.list', 'fraga.all', 'fraga.list', 'import', 'import.cancel', 'reminders.list'];

let h: Harness;
afterEach(async () => h?.close());

const REFUSED = /^(Det kan bara|Jag hittar|Det finns inget|Det finns ingen|Du har ingen|Skriv|Ange|"|§ \d+ finns inte|Inget sammanträde|Jag förstod inte|Konton kopplas)/;

describe('the same command twice from the same person', () => {
  test.each(ROWS.map((r) => [r.command, r.send[1], r] as const))('%s: %s', async (_name, _text, row) => {
    h = await makeHarness({ now: '2027-01-10T10:00:00+01:00' });
    const send = async ([who, text]: Step) => plain(row.platform ? await sendOn(row.platform, who, text) : await h.say(who, text));
    // The dagordning before the meeting; the rest after it where the row says so.
    const steps = row.setup ?? [];
    for (const step of steps.filter(([, c]) => c === AGENDA)) await send(step);
    if (row.after) h.clock.set(AFTER_MEETING);
    for (const step of steps.filter(([, c]) => c !== AGENDA)) {
      const answer = await send(step);
      expect({ step, answer, refused: REFUSED.test(answer) }).toMatchObject({ step, refused: false });
    }
    const n0 = await h.eventCount();
    const first = await send(row.send);
    const n1 = await h.eventCount();
    expect({ first, refused: REFUSED.test(first), recorded: n1 > n0 }).toMatchObject({ refused: false, recorded: true });
    const second = await send(row.send);
    const n2 = await h.eventCount();
    expect({ second, recordedAgain: n2 - n1 }).toMatchObject({ recordedAgain: 0 });
    expect(second).toMatch(row.again);
  });

  test('the table has every command that records something', () => {
    const inTable = new Set(ROWS.map((r) => r.command));
    const missing = COMMANDS.map((c) => c.name).filter((n) => !inTable.has(n) && !READ_ONLY.includes(n));
    expect(missing).toEqual([]);
  });
});

/** `text` from `who`'s account on a chat platform (the committee file's first id there). */
function sendOn(platform: 'slack', who: string, text: string) {
  const member = h.committee.members.find((m) => m.id === who)!;
  const platformUserId = member.identities[platform]![0]!;
  return h.core.handle({ deliveryId: `retry-${Math.random()}`, platform, platformUserId, place: { kind: 'private' }, input: { kind: 'text', text } });
}
