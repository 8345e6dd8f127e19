import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboundBlockedError } from "../errors.js";
import { createOutboundGuard } from "./outbound-guard.js";

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port)),
  );
}

describe("outbound guard: addresses", () => {
  const guard = createOutboundGuard();
  afterAll(() => guard.close());

  it.each([
    ["127.0.0.1", "loopback"],
    ["127.12.0.9", "loopback"],
    ["::1", "loopback"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["fe80::1", "link-local"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.254", "private"],
    ["192.168.1.1", "private"],
    ["fd12:3456::1", "private (unique local)"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local (cloud metadata)"],
    ["0:0:0:0:0:ffff:10.0.0.1", "private"],
    ["100.64.0.1", "shared (carrier-grade NAT)"],
    ["224.0.0.1", "multicast"],
  ])("refuses %s as %s", (address, reason) => {
    expect(guard.refusalOf(address)).toBe(reason);
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "172.32.0.1"])(
    "lets the public address %s through",
    (address) => {
      expect(guard.refusalOf(address)).toBeUndefined();
    },
  );

  it.each(["file:///etc/passwd", "data:text/plain,hello", "ftp://example.com/", "gopher://example.com/"])(
    "refuses the scheme of %s",
    (url) => {
      expect(() => guard.checkUrl(url)).toThrow(OutboundBlockedError);
    },
  );

  it("refuses a literal metadata address in a URL before any connection", () => {
    expect(() => guard.checkUrl("http://169.254.169.254/latest/meta-data/")).toThrow(/link-local/);
    expect(() => guard.checkUrl("http://[::ffff:169.254.169.254]/")).toThrow(/link-local/);
  });

  it("refuses a host name that resolves to loopback", async () => {
    await expect(guard.checkHost("localhost")).rejects.toThrow(/loopback/);
  });
});

describe("outbound guard: connections", () => {
  const target = createServer((_req, res) => res.end("secret inside"));
  const redirector = createServer((_req, res) => {
    res.writeHead(302, { location: `http://127.0.0.2:${targetPort}/` }).end();
  });
  let targetPort = 0;
  let redirectorPort = 0;

  beforeAll(async () => {
    targetPort = await listen(target, "127.0.0.2");
    redirectorPort = await listen(redirector, "127.0.0.1");
  });
  afterAll(() => {
    target.close();
    redirector.close();
  });

  it("refuses to connect to loopback by default", async () => {
    const guard = createOutboundGuard();
    await expect(guard.fetch(`http://127.0.0.2:${targetPort}/`)).rejects.toThrow(OutboundBlockedError);
    await guard.close();
  });

  it("refuses a host name resolving to loopback at connect time", async () => {
    const guard = createOutboundGuard();
    await expect(guard.fetch(`http://localhost:${redirectorPort}/`)).rejects.toThrow(/loopback/);
    await guard.close();
  });

  it("connects to an address the configuration allows", async () => {
    const guard = createOutboundGuard({ allow: ["127.0.0.2"] });
    const response = await guard.fetch(`http://127.0.0.2:${targetPort}/`);
    expect(await response.text()).toBe("secret inside");
    await guard.close();
  });

  it("connects to a range the configuration allows", async () => {
    const guard = createOutboundGuard({ allow: ["127.0.0.0/8"] });
    const response = await guard.fetch(`http://127.0.0.1:${redirectorPort}/`);
    expect(await response.text()).toBe("secret inside");
    await guard.close();
  });

  it("refuses a redirect from an allowed address to a refused one", async () => {
    const guard = createOutboundGuard({ allow: ["127.0.0.1/32"] });
    await expect(guard.fetch(`http://127.0.0.1:${redirectorPort}/`)).rejects.toThrow(
      /127\.0\.0\.2.*loopback/,
    );
    await guard.close();
  });

  it("refuses through its lookup function for other clients", async () => {
    const guard = createOutboundGuard();
    const error = await new Promise<Error | null>((resolve) =>
      guard.lookup("localhost", { all: true }, (err) => resolve(err)),
    );
    expect(error).toBeInstanceOf(OutboundBlockedError);
    await guard.close();
  });
});
