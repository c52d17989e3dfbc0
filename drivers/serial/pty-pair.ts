/**
 * Two linked pseudo-terminals, for tests that drive a serial driver through the real serialport
 * binding against an emulated device: whatever is written to one end is read at the other. socat
 * makes the pair (`socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B`); without socat, a short
 * python3 script does the same. Stopping the pair is an unplug; starting it again at the same
 * link paths is the device coming back.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pythonRelay = `
import os, pty, select, signal, sys, tty
links = sys.argv[1:3]
masters, slaves = [], []
for link in links:
    master, slave = pty.openpty()
    tty.setraw(slave)
    masters.append(master)
    slaves.append(slave)
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.ttyname(slave), link)
def stop(*_):
    for link in links:
        if os.path.lexists(link):
            os.unlink(link)
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while True:
    ready, _, _ = select.select(masters, [], [])
    for fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            continue
        os.write(masters[1 - masters.index(fd)], data)
`;

const hasCommand = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

export interface PtyPair {
  /** The end the driver under test opens. */
  readonly hostPath: string;
  /** The end the emulated device opens. */
  readonly devicePath: string;
  readonly tool: 'socat' | 'python3';
  /** Creates the pair (again); resolves when both link paths exist. */
  start(): Promise<void>;
  /** Removes the pair: both ends see the device vanish. */
  stop(): Promise<void>;
  /** Stops the pair and removes the temporary folder. */
  dispose(): Promise<void>;
}

export async function createPtyPair(options: { tool?: 'socat' | 'python3' } = {}): Promise<PtyPair> {
  const tool = options.tool ?? (hasCommand('socat') ? 'socat' : hasCommand('python3') ? 'python3' : undefined);
  if (!tool) throw new Error('pseudo-terminal tests need socat (apt-get install socat) or python3');
  const dir = mkdtempSync(join(tmpdir(), 'box-office-pty-'));
  const hostPath = join(dir, 'host');
  const devicePath = join(dir, 'device');
  let child: ChildProcess | undefined;

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    await exited;
    // socat removes its links on SIGTERM; make sure nothing stale is left for the next start.
    for (const path of [hostPath, devicePath]) rmSync(path, { force: true });
  };

  const start = async () => {
    await stop();
    const args =
      tool === 'socat'
        ? ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`]
        : ['-c', pythonRelay, hostPath, devicePath];
    const started = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString()}`.slice(-2000);
    });
    const deadline = Date.now() + 10_000;
    while (!existsSync(hostPath) || !existsSync(devicePath)) {
      if (started.exitCode !== null) throw new Error(`${tool} exited before creating the pseudo-terminals: ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`${tool} did not create the pseudo-terminals within 10 s: ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  await start();
  return {
    hostPath,
    devicePath,
    tool,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
