/**
 * Answers to response_url go out on a kept-alive connection: one connection for a run of
 * answers, a non-2xx answer is an error, and a connection Slack closed while idle is replaced.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResponseUrlClient } from '../../adapters/slack/response-url';

let server: Server;
let url: string;
let connections = 0;
const bodies: unknown[] = [];
let status = 200;

beforeEach(async () => {
  connections = 0;
  bodies.length = 0;
  status = 200;
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/actions/T1/1/abc`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('a run of answers shares one connection, each body arriving as sent', async () => {
  const client = new ResponseUrlClient();
  try {
    for (let i = 0; i < 5; i++) await client.post(url, { response_type: 'ephemeral', text: `svar ${i}` });
    expect(bodies).toEqual([0, 1, 2, 3, 4].map((i) => ({ response_type: 'ephemeral', text: `svar ${i}` })));
    expect(connections).toBe(1);
  } finally {
    client.close();
  }
});

test('an answer Slack refuses is an error', async () => {
  const client = new ResponseUrlClient();
  status = 404;
  try {
    await expect(client.post(url, { text: 'x' })).rejects.toThrow('response_url answered 404');
  } finally {
    client.close();
  }
});

test('a kept connection Slack closed meanwhile is replaced, and the answer arrives', async () => {
  const client = new ResponseUrlClient();
  try {
    await client.post(url, { text: 'första' });
    // Slack drops the idle connection; the next answer goes out on a new one.
    server.closeAllConnections();
    await new Promise((r) => setTimeout(r, 50));
    await client.post(url, { text: 'andra' });
    expect(bodies).toEqual([{ text: 'första' }, { text: 'andra' }]);
    expect(connections).toBe(2);
  } finally {
    client.close();
  }
});
