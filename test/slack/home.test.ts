/**
 * App Home asks the core in its own command language; a renamed command must not silently
 * drop a section from everyone's Home.
 */
import { HOME_ACTIONS, HOME_QUERIES } from '../../adapters/slack/home';
import { parseText } from '../../src/core/parser';
import { COMMANDS } from '../../src/core/registry';

test.each(HOME_QUERIES.map((q) => [q.text, q.command]))('"%s" is the core\'s %s', (text, command) => {
  expect(COMMANDS.some((c) => c.name === command)).toBe(true);
  const parsed = parseText(text, COMMANDS);
  expect(parsed.ok && parsed.command.name).toBe(command);
});

test.each(HOME_ACTIONS.map((a) => [a.label, a.command]))('the button "%s" starts the core\'s %s', (_, command) => {
  expect(COMMANDS.some((c) => c.name === command)).toBe(true);
});
