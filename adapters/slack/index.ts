/** The Slack adapter's public face for the entry. */
export { SlackAdapter, startSlack, type SlackAdapterOptions, type SlackDeps } from './slack-adapter';
export { SLACK_SETTINGS, readSlackSettings, type SlackSettings } from './settings';
