/**
 * The build `npm start` runs (bin/build.js): the compiled program under .build/, and the
 * libraries a start loads bundled one file each under .build/node_modules/, found there by the
 * compiled files' plain requires, and working as installed (issue 18: start time).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../ops/support';

const { OUT, VENDOR } = require('../../bin/build.js') as { OUT: string; VENDOR: string[] };

beforeAll(() => {
  const built = spawnSync(process.execPath, ['bin/build.js'], { cwd: ROOT, encoding: 'utf8' });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
}, 120_000);

test('the compiled files find each bundled library under .build/node_modules', () => {
  expect(VENDOR).toEqual(expect.arrayContaining(['@slack/bolt', 'zod', 'yaml', 'date-holidays']));
  for (const name of VENDOR) {
    expect(require.resolve(name, { paths: [path.join(OUT, 'src', 'domain')] })).toBe(path.join(OUT, 'node_modules', name, 'index.js'));
  }
});

test('the compiled Slack adapter, committee files and calendar load only the bundles, and work', () => {
  const script = `
    const path = require('node:path');
    const out = ${JSON.stringify(OUT)};
    require(path.join(out, 'adapters/slack/slack-adapter.js'));
    const { loadCommittees } = require(path.join(out, 'src/config/committee-file.js'));
    const calendar = require(path.join(out, 'src/domain/calendar.js'));
    loadCommittees([${JSON.stringify(path.join(ROOT, 'examples/kfn.yaml'))}]).then((committees) => {
      const installed = Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/](@slack|zod|yaml|date-holidays)[\\\\/]/.test(f) && !f.startsWith(out));
      process.stdout.write(JSON.stringify({ committee: committees[0].id, midsommarafton: calendar.nonWorkingReason('2027-06-25'), installed }));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ committee: 'kfn', midsommarafton: 'midsommarafton', installed: [] });
});

test('the bundled date-holidays holds Sweden\'s rules alone, and gives the installed module\'s Swedish holidays', () => {
  const script = `
    const path = require('node:path');
    const Bundled = require(path.join(${JSON.stringify(OUT)}, 'node_modules/date-holidays'));
    const Installed = require('date-holidays');
    const options = { languages: ['sv'], timezone: 'Europe/Stockholm' };
    const bundled = new Bundled('SE', options);
    const installed = new Installed('SE', options);
    const differ = [];
    for (let year = 2000; year < 2060; year++) {
      if (JSON.stringify(bundled.getHolidays(year, 'sv')) !== JSON.stringify(installed.getHolidays(year, 'sv'))) differ.push(year);
    }
    process.stdout.write(JSON.stringify({ differ, countries: Object.keys(bundled.getCountries()), installedCountries: Object.keys(installed.getCountries()).length > 100, julafton2027: bundled.isHoliday(new Date('2027-12-24T12:00:00+01:00')) && bundled.isHoliday(new Date('2027-12-24T12:00:00+01:00'))[0].name }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ differ: [], countries: ['SE'], installedCountries: true, julafton2027: 'julafton' });
});

test("the bundled Bolt loads Socket Mode and express only when a receiver needs them, and they work then", () => {
  const script = `
    const path = require('node:path');
    const loaded = () => Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/](@slack[\\\\/]socket-mode|express|undici)[\\\\/]/.test(f) && !f.startsWith(${JSON.stringify(OUT)})).length > 0;
    const bolt = require(path.join(${JSON.stringify(OUT)}, 'node_modules/@slack/bolt'));
    const atLoad = loaded();
    const socket = new bolt.SocketModeReceiver({ appToken: 'xapp-1-test' });
    const express = new bolt.ExpressReceiver({ signingSecret: 'test' });
    process.stdout.write(JSON.stringify({ atLoad, afterwards: loaded(), socketClient: typeof socket.client.start, expressApp: typeof express.app.use }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ atLoad: false, afterwards: true, socketClient: 'function', expressApp: 'function' });
});

