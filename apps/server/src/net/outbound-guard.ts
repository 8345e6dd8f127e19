import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type Socket } from "node:net";
import { Agent, buildConnector, type Dispatcher, fetch as undiciFetch } from "undici";
import { OutboundBlockedError } from "../errors.js";

/**
 * Address ranges Vigie never calls on its own initiative (probes, webhooks) unless the
 * configuration allows them: they reach the host itself, the cloud metadata service or the
 * internal network (SSRF).
 */
const BLOCKED_RANGES: { cidr: string; reason: string }[] = [
  { cidr: "0.0.0.0/8", reason: "unspecified" },
  { cidr: "10.0.0.0/8", reason: "private" },
  { cidr: "100.64.0.0/10", reason: "shared (carrier-grade NAT)" },
  { cidr: "127.0.0.0/8", reason: "loopback" },
  { cidr: "169.254.0.0/16", reason: "link-local (cloud metadata)" },
  { cidr: "172.16.0.0/12", reason: "private" },
  { cidr: "192.0.0.0/24", reason: "reserved" },
  { cidr: "192.168.0.0/16", reason: "private" },
  { cidr: "198.18.0.0/15", reason: "benchmarking" },
  { cidr: "224.0.0.0/4", reason: "multicast" },
  { cidr: "240.0.0.0/4", reason: "reserved" },
  { cidr: "::/128", reason: "unspecified" },
  { cidr: "::1/128", reason: "loopback" },
  { cidr: "fc00::/7", reason: "private (unique local)" },
  { cidr: "fe80::/10", reason: "link-local" },
  { cidr: "ff00::/8", reason: "multicast" },
  { cidr: "64:ff9b::/96", reason: "NAT64" },
  { cidr: "2002::/16", reason: "6to4" },
];

const ALLOWED_SCHEMES = new Set(["http:", "https:"]);

function toBlockList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split("/") as [string, string | undefined];
    const family = isIP(address);
    if (family === 0) throw new Error(`not an IP address or CIDR range: ${cidr}`);
    const type = family === 4 ? "ipv4" : "ipv6";
    list.addSubnet(address, bits === undefined ? (family === 4 ? 32 : 128) : Number(bits), type);
  }
  return list;
}

/** `::ffff:127.0.0.1` (and its hex form) is the IPv4 address 127.0.0.1: judge it as such. */
function unmapIpv4(address: string): string {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower.replace(/^::/, "0:0:0:0:0:"));
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = Number.parseInt(hex[1]!, 16);
    const low = Number.parseInt(hex[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return address;
}

/** Options of the guard; defaults in brackets. */
export interface OutboundPolicy {
  /** Addresses or CIDR ranges reachable even though blocked by default, e.g. `127.0.0.1/32` [none]. */
  allow?: string[];
  /** TCP (and TLS) connect timeout in milliseconds [10000]. */
  connectTimeoutMs?: number;
}

/** Refuses calls to internal addresses; use its `fetch` or `dispatcher` for every outbound call. */
export interface OutboundGuard {
  /** Why an IP address is refused, or undefined when it may be called. */
  refusalOf(address: string): string | undefined;
  /** Throws OutboundBlockedError for a non-HTTP(S) URL or a refused literal IP address. */
  checkUrl(url: string | URL): URL;
  /** Resolves a host name and throws OutboundBlockedError if any of its addresses is refused. */
  checkHost(hostname: string): Promise<string[]>;
  /** `dns.lookup`-compatible function that fails on refused addresses (for net/tls/http clients). */
  lookup: typeof dnsLookup;
  /** undici dispatcher checking the resolved address of every connection, redirects included. */
  dispatcher: Dispatcher;
  /** undici `fetch` through the dispatcher, after the URL's scheme is checked. */
  fetch(url: string | URL, init?: Parameters<typeof undiciFetch>[1]): ReturnType<typeof undiciFetch>;
  close(): Promise<void>;
}

/**
 * Builds the outbound-address guard. The check happens on the address actually resolved (and
 * again on the connected socket), so neither DNS rebinding nor a redirect can reach a refused address.
 */
export function createOutboundGuard(policy: OutboundPolicy = {}): OutboundGuard {
  const allowed = toBlockList(policy.allow ?? []);
  const blocked = BLOCKED_RANGES.map(({ cidr, reason }) => ({ list: toBlockList([cidr]), reason }));

  function refusalOf(address: string): string | undefined {
    const plain = unmapIpv4(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
    const family = isIP(plain);
    if (family === 0) return "not an IP address";
    const type = family === 4 ? "ipv4" : "ipv6";
    if (allowed.check(plain, type)) return undefined;
    for (const range of blocked) if (range.list.check(plain, type)) return range.reason;
    return undefined;
  }

  function refuse(address: string, host?: string): never {
    const reason = refusalOf(address);
    const target = host && host !== address ? `${host} (${address})` : address;
    throw new OutboundBlockedError(
      `Outbound call to ${target} refused: ${reason} address. Allow it in probes.outbound.allow if intended.`,
    );
  }

  const lookup = ((hostname: string, options: unknown, callback?: unknown) => {
    const cb = (typeof options === "function" ? options : callback) as (
      error: Error | null,
      address?: string | LookupAddress[],
      family?: number,
    ) => void;
    const opts = (typeof options === "object" && options !== null ? options : {}) as { all?: boolean };
    dnsLookup(hostname, { ...opts, all: true }, (error, addresses) => {
      if (error) return cb(error);
      const bad = addresses.find((a) => refusalOf(a.address) !== undefined);
      if (bad) {
        try {
          refuse(bad.address, hostname);
        } catch (refusal) {
          return cb(refusal as Error);
        }
      }
      if (opts.all) return cb(null, addresses);
      const first = addresses[0]!;
      cb(null, first.address, first.family);
    });
  }) as typeof dnsLookup;

  const baseConnect = buildConnector({ timeout: policy.connectTimeoutMs ?? 10_000, lookup } as never);
  const connect: buildConnector.connector = (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, "");
    // net.connect skips `lookup` for literal IP addresses: judge them here.
    if (isIP(host) !== 0 && refusalOf(host) !== undefined) {
      try {
        refuse(host);
      } catch (refusal) {
        return callback(refusal as Error, null);
      }
    }
    baseConnect(options, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error("no socket"), null);
      const remote = (socket as Socket).remoteAddress;
      if (remote && refusalOf(remote) !== undefined) {
        socket.destroy();
        try {
          refuse(remote, host);
        } catch (refusal) {
          return callback(refusal as Error, null);
        }
      }
      callback(null, socket);
    });
  };
  const dispatcher = new Agent({ connect });

  function checkUrl(url: string | URL): URL {
    let parsed: URL;
    try {
      parsed = typeof url === "string" ? new URL(url) : url;
    } catch {
      throw new OutboundBlockedError(`Outbound call refused: "${String(url)}" is not a valid URL.`);
    }
    if (!ALLOWED_SCHEMES.has(parsed.protocol)) {
      throw new OutboundBlockedError(
        `Outbound call refused: scheme "${parsed.protocol}" (only http: and https: are allowed).`,
      );
    }
    const host = parsed.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host) !== 0 && refusalOf(host) !== undefined) refuse(host);
    return parsed;
  }

  return {
    refusalOf,
    checkUrl,
    lookup,
    dispatcher,
    async checkHost(hostname) {
      const host = hostname.replace(/^\[|\]$/g, "");
      if (isIP(host) !== 0) {
        if (refusalOf(host) !== undefined) refuse(host);
        return [host];
      }
      return new Promise<string[]>((resolve, reject) => {
        lookup(host, { all: true }, (error, addresses) => {
          if (error) reject(error);
          else resolve((addresses as unknown as LookupAddress[]).map((a) => a.address));
        });
      });
    },
    async fetch(url, init) {
      const parsed = checkUrl(url);
      try {
        return await undiciFetch(parsed, { ...init, dispatcher });
      } catch (error) {
        // fetch wraps connector errors in "fetch failed": surface the refusal itself.
        const cause = (error as { cause?: unknown }).cause;
        if (cause instanceof OutboundBlockedError) throw cause;
        throw error;
      }
    },
    close: () => dispatcher.close(),
  };
}

/** Whether an error (or its cause) is an outbound refusal. */
export function isOutboundBlocked(error: unknown): error is OutboundBlockedError {
  return error instanceof OutboundBlockedError;
}
