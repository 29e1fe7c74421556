// A cuttable network path from a test "host" to PostgreSQL. Where the
// machine allows it (root, `ip netns`), the host runs in its own network
// namespace joined by a veth pair, and a cut takes the link down: packets
// vanish, nothing is reset, exactly like a pulled cable. Otherwise the host
// connects through an in-process TCP proxy that stops forwarding on a cut.
import { execFileSync } from 'node:child_process';
import net from 'node:net';

/** A TCP proxy to PostgreSQL whose forwarding can be paused (the fallback cut). */
class PausableProxy {
  private readonly pairs = new Set<{ a: net.Socket; b: net.Socket }>();
  private readonly waiting: net.Socket[] = [];
  private cut = false;
  readonly server: net.Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((socket) => {
      socket.on('error', () => {});
      if (this.cut) {
        socket.pause();
        this.waiting.push(socket);
      } else this.join(socket);
    });
  }

  private join(a: net.Socket): void {
    const b = net.connect(this.target.port, this.target.host);
    b.on('error', () => a.destroy());
    a.on('error', () => b.destroy());
    const pair = { a, b };
    this.pairs.add(pair);
    a.pipe(b);
    b.pipe(a);
    const drop = () => {
      this.pairs.delete(pair);
      a.destroy();
      b.destroy();
    };
    a.on('close', drop);
    b.on('close', drop);
    if (this.cut) this.pause(pair);
    a.resume();
  }

  private pause(pair: { a: net.Socket; b: net.Socket }): void {
    pair.a.unpipe(pair.b);
    pair.b.unpipe(pair.a);
    pair.a.pause();
    pair.b.pause();
  }

  listen(host: string): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, host, () => resolve((this.server.address() as net.AddressInfo).port)),
    );
  }

  setCut(cut: boolean): void {
    this.cut = cut;
    for (const pair of this.pairs) {
      if (cut) this.pause(pair);
      else {
        pair.a.pipe(pair.b);
        pair.b.pipe(pair.a);
      }
    }
    if (!cut) for (const socket of this.waiting.splice(0)) this.join(socket);
  }

  close(): void {
    for (const pair of this.pairs) {
      pair.a.destroy();
      pair.b.destroy();
    }
    for (const socket of this.waiting) socket.destroy();
    this.server.close();
  }
}

/** How a test host reaches PostgreSQL, and how to cut and restore that path. */
export interface Link {
  mode: 'netns' | 'proxy';
  /** Connection string for the host behind the link. */
  url: string;
  /** Prefix for the host's command (`ip netns exec …`), empty in proxy mode. */
  command: string[];
  cut(): void;
  restore(): void;
  close(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'ignore' });
}

/** True when network namespaces can be made here (root on Linux with iproute2). */
export function netnsAvailable(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = `dkp${process.pid % 100000}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return true;
  } catch {
    return false;
  }
}

/** Opens a link to the PostgreSQL at `pgHost:pgPort`: a namespace when possible, else a pausable proxy. */
export async function openLink(
  pgHost: string,
  pgPort: number,
  database: string,
  index: number,
): Promise<Link> {
  const proxy = new PausableProxy({ host: pgHost, port: pgPort });
  if (netnsAvailable()) {
    const tag = `${process.pid % 10000}${index}`;
    const ns = `dk${tag}`;
    const outer = `dko${tag}`;
    const inner = `dki${tag}`;
    const subnet = `10.213.${(process.pid + index) % 250}`;
    try {
      ip('netns', 'add', ns);
      ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
      ip('link', 'set', inner, 'netns', ns);
      ip('addr', 'add', `${subnet}.1/30`, 'dev', outer);
      ip('link', 'set', outer, 'up');
      ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${subnet}.2/30`, 'dev', inner);
      ip('netns', 'exec', ns, 'ip', 'link', 'set', inner, 'up');
      ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
      // PostgreSQL listens on loopback only; the proxy on the outer end of the veth carries the traffic.
      const port = await proxy.listen(`${subnet}.1`);
      return {
        mode: 'netns',
        url: `postgres://postgres@${subnet}.1:${port}/${database}`,
        command: ['ip', 'netns', 'exec', ns],
        // Down on the outer end: the host's packets are dropped silently, as on a dead link.
        cut: () => ip('link', 'set', outer, 'down'),
        restore: () => ip('link', 'set', outer, 'up'),
        close: () => {
          proxy.close();
          try {
            ip('link', 'del', outer);
          } catch {}
          try {
            ip('netns', 'del', ns);
          } catch {}
        },
      };
    } catch (error) {
      try {
        ip('netns', 'del', ns);
      } catch {}
      try {
        ip('link', 'del', outer);
      } catch {}
      proxy.close();
      throw error;
    }
  }
  const port = await proxy.listen('127.0.0.1');
  return {
    mode: 'proxy',
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    command: [],
    cut: () => proxy.setCut(true),
    restore: () => proxy.setCut(false),
    close: () => proxy.close(),
  };
}
