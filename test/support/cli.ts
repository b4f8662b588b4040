/**
 * Runs the real command line (`namndbot …` through tsx) as a child process, as a newcomer or an
 * operator would, and collects what it printed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `namndbot <args>` with `stdin` fed and closed, and `env` added to the environment. */
export function runCli(args: string[], stdin: string, env: Record<string, string>): Promise<CliResult> {
  return runProcess(TSX, ['bin/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdin });
}

/** Any program, with `stdin` fed and closed (empty when not given), run to its end. */
export function runProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A program that ends without reading its input closes the pipe first (EPIPE): not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}
