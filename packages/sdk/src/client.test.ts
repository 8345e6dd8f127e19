import { stepEventSchema } from "@vigie/contracts";
import { describe, expect, it, vi } from "vitest";
import { createVigieClient, type StepCloudEvent, type VigieClientOptions } from "./index.js";

/** A client whose "network" records the batches it is given and answers 200. */
function recordingClient(options: Partial<VigieClientOptions> = {}) {
  const batches: StepCloudEvent[][] = [];
  const sdk = createVigieClient({
    url: "http://vigie.invalid",
    apiKey: "k".repeat(20),
    source: "unit",
    flushOnExit: false,
    flushIntervalMs: 60_000,
    fetch: async (_url, init) => {
      batches.push(JSON.parse(String(init?.body)));
      return new Response(JSON.stringify({ accepted: 1, duplicates: 0 }), { status: 200 });
    },
    ...options,
  });
  return { sdk, batches };
}

describe("createVigieClient", () => {
  it("emits events that follow Vigie's event contract", async () => {
    const { sdk, batches } = recordingClient({ attributes: { channel: "web" } });
    const run = sdk.run("cco-subscription", "r1", { synthetic: true });
    run.prospect({ firstName: "Jean", phone: "0612345678" });
    run.step("identity").start();
    run.step("identity").error("KYC_DOWN", "service down", { durationMs: 12 });
    await sdk.flush();
    const events = batches.flat();
    expect(events).toHaveLength(2);
    for (const event of events) expect(stepEventSchema.safeParse(event).success).toBe(true);
    expect(events[0]?.data).toMatchObject({ synthetic: true, attributes: { channel: "web" } });
  });

  it("attaches the prospect's details to the next event of the run only", async () => {
    const { sdk, batches } = recordingClient();
    const run = sdk.run("cco-subscription", "r2").prospect({ email: "a@b.fr" });
    run.step("contact").start();
    run.step("contact").ok();
    await sdk.flush();
    expect(batches.flat().map((e) => e.data.prospect)).toEqual([{ email: "a@b.fr" }, undefined]);
  });

  it("dates events at the given time, for past-dated history", async () => {
    const { sdk, batches } = recordingClient();
    sdk
      .run("cco-subscription", "r3")
      .step("landing")
      .ok({ at: new Date("2026-01-01T08:00:00Z") });
    await sdk.flush();
    expect(batches.flat()[0]?.time).toBe("2026-01-01T08:00:00.000Z");
  });

  it("never throws into the host, whatever it is given", async () => {
    const sdk = createVigieClient({
      url: undefined as unknown as string,
      apiKey: "x",
      source: "unit",
      flushOnExit: false,
      fetch: () => {
        throw new Error("synchronous failure");
      },
      onError: () => {
        throw new Error("the host's handler fails too");
      },
      generateId: () => {
        throw new Error("no ids today");
      },
    });
    expect(() => {
      const run = sdk.run(undefined as unknown as string, undefined);
      run.prospect(null as unknown as object);
      run
        .step(null as unknown as string)
        .start()
        .ok();
      sdk.emit(null as unknown as never);
    }).not.toThrow();
    await expect(sdk.flush()).resolves.toBeUndefined();
    await expect(sdk.shutdown({ timeoutMs: 10 })).resolves.toBeDefined();
    expect(() => sdk.run("cco-subscription", "late").step("landing").ok()).not.toThrow();
  });

  it("drops an event with an invalid step key instead of sending it", async () => {
    const errors: string[] = [];
    const { sdk, batches } = recordingClient({ onError: (e) => errors.push(e.kind) });
    sdk.run("cco-subscription", "r4").step("Not A Key").ok();
    await sdk.flush();
    expect(batches).toEqual([]);
    expect(errors).toEqual(["usage"]);
  });
});

describe("retries", () => {
  it("waits exponentially longer between attempts, up to the cap", async () => {
    vi.useFakeTimers();
    try {
      const attempts: number[] = [];
      const sdk = createVigieClient({
        url: "http://vigie.invalid",
        apiKey: "k".repeat(20),
        source: "unit",
        flushOnExit: false,
        flushIntervalMs: 0,
        retryDelayMs: 100,
        maxRetryDelayMs: 400,
        random: () => 0.999_999,
        fetch: async () => {
          attempts.push(Date.now());
          throw new TypeError("fetch failed");
        },
      });
      sdk.run("cco-subscription", "r").step("landing").ok();
      await vi.advanceTimersByTimeAsync(2000);
      const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
      expect(gaps.slice(0, 5).map((gap) => Math.round(gap / 10) * 10)).toEqual([100, 200, 400, 400, 400]);
      expect(sdk.stats()).toMatchObject({ buffered: 1, sent: 0 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("waits at least as long as Vigie's Retry-After", async () => {
    vi.useFakeTimers();
    try {
      const attempts: number[] = [];
      const sdk = createVigieClient({
        url: "http://vigie.invalid",
        apiKey: "k".repeat(20),
        source: "unit",
        flushOnExit: false,
        flushIntervalMs: 0,
        retryDelayMs: 10,
        fetch: async () => {
          attempts.push(Date.now());
          return new Response("{}", { status: 503, headers: { "retry-after": "3" } });
        },
      });
      sdk.run("cco-subscription", "r").step("landing").ok();
      await vi.advanceTimersByTimeAsync(3500);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(3000);
    } finally {
      vi.useRealTimers();
    }
  });
});
