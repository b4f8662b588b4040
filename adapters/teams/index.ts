/**
 * The Teams adapter's public face for the entry:
 *
 *   if (teamsRequested(env)) await startTeams({ core, delivery, logger }, readTeamsSettings(env));
 *
 * `createTeams` builds the adapter without listening, for a shared HTTP server that mounts
 * `adapter.processMessages(req, res)` at /api/messages.
 */
import { TeamsAdapter, type TeamsAdapterOptions, type TeamsDeps } from './teams-adapter';
import type { TeamsSettings } from './settings';

export { TEAMS_SETTINGS, readTeamsSettings, teamsRequested, type TeamsSettings } from './settings';
export { TeamsAdapter, type TeamsDeps } from './teams-adapter';

/** Builds the adapter and registers it for proactive delivery; does not listen. */
export function createTeams(deps: TeamsDeps, settings: TeamsSettings, options?: TeamsAdapterOptions): TeamsAdapter {
  const adapter = new TeamsAdapter(deps, settings, options);
  deps.delivery.register(adapter);
  return adapter;
}

/** Builds, registers and starts listening on settings.port at /api/messages. Stop with `adapter.stop()`. */
export async function startTeams(deps: TeamsDeps, settings: TeamsSettings, options?: TeamsAdapterOptions): Promise<TeamsAdapter> {
  const adapter = createTeams(deps, settings, options);
  await adapter.start();
  return adapter;
}
