/**
 * Linking a chat account to a member of the committee file, for people whose platform id was
 * not known when the file was written. The link is a record like any other: who linked whom, when.
 */
import { fileIdentities, findMember, isPlatform, memberLabel, PLATFORM_INFO, PLATFORMS } from '../../domain/committee';
import { identityKey } from '../../domain/state';
import { normalizeWord } from '../../domain/text';
import { SECRETARY } from '../commands';
import { record, reply, type CommandDef, type Decision, type HandlerContext } from '../context';
import { message } from '../message';
import { toAsker } from '../outgoing';
import type { ParsedCommand } from '../parser';
import { refusal } from './common';

export function linkIdentity(cmd: ParsedCommand, ctx: HandlerContext): Decision {
  const platform = ctx.via;
  if (!isPlatform(platform) || !PLATFORM_INFO[platform].linkedInChat) {
    const where = PLATFORMS.filter((p) => PLATFORM_INFO[p].linkedInChat).map((p) => PLATFORM_INFO[p].label);
    return reply(refusal(`Konton kopplas från den chattplattform kontot finns på: skriv kommandot i ${where.slice(0, -1).join(', ')}${where.length > 1 ? ' eller ' : ''}${where[where.length - 1]}.`));
  }
  const userId = cmd.args.id;
  const memberId = cmd.args.member ? normalizeWord(cmd.args.member) : undefined;
  if (!userId || !memberId) return reply(refusal('Skriv vilket konto och vilken ledamot, till exempel: koppla @Amira amira.haddad'));
  if (userId.length > 200) return reply(refusal('Kontots id är för långt. Nämn personen med @ eller klistra in id:t.'));
  const member = findMember(ctx.committee, memberId);
  if (!member) return reply(refusal(`Det finns ingen ledamot med id "${cmd.args.member}" i ${ctx.committee.name}. Id:t står i nämndfilen (members → id).`));
  const key = identityKey(platform, userId);
  const current = ctx.state.linkedIdentities.get(key);
  if (current === member.id) return reply(toAsker(message(`Kontot är redan kopplat till ${memberLabel(member)}. Inget ändrades.`)));
  const owner = ctx.committee.members.find((m) => fileIdentities(m).some((i) => i.platform === platform && i.platformUserId === userId));
  if (owner) return reply(refusal(`Kontot står redan på ${memberLabel(owner)} i nämndfilen. Ändra där om det är fel.`));
  return record(
    [{ type: 'identity.linked', memberId: member.id, platform, platformUserId: userId }],
    toAsker(message(`Kontot ${userId} på ${PLATFORM_INFO[platform].label} är nu kopplat till ${memberLabel(member)}.`)),
  );
}

export const identityCommands: CommandDef[] = [
  {
    name: 'identity.link',
    words: ['koppla', 'link'],
    sub: [],
    args: ['id', 'member'],
    roles: SECRETARY,
    usage: 'koppla <användare> <ledamotens id>',
    example: 'koppla @Amira amira.haddad',
    summary: 'kopplar ett chattkonto på den plattform du skriver från till en ledamot i nämndfilen',
    handle: linkIdentity,
  },
];
