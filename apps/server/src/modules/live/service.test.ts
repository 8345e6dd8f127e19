import { afterEach, describe, expect, it, vi } from "vitest";
import { createLiveHub, type LiveChange } from "./service.js";

afterEach(() => {
  vi.useRealTimers();
});

function collector() {
  const received: LiveChange[] = [];
  return { received, subscriber: { send: (change: LiveChange) => received.push(change), close: () => {} } };
}

describe("live hub", () => {
  it("merges a burst of changes into one message naming each journey once", () => {
    vi.useFakeTimers();
    const hub = createLiveHub({ coalesceMs: 250 });
    const { received, subscriber } = collector();
    hub.subscribe(subscriber);
    hub.journeysChanged(["b", "a"]);
    hub.journeysChanged(["a", "c"]);
    expect(received).toHaveLength(0);
    vi.advanceTimersByTime(250);
    expect(received).toHaveLength(1);
    expect(received[0]?.journeys).toEqual(["a", "b", "c"]);
  });

  it("sends each change to every subscriber", () => {
    vi.useFakeTimers();
    const hub = createLiveHub({ coalesceMs: 10 });
    const one = collector();
    const two = collector();
    hub.subscribe(one.subscriber);
    hub.subscribe(two.subscriber);
    hub.journeysChanged(["cco-subscription"]);
    vi.advanceTimersByTime(10);
    expect(one.received).toHaveLength(1);
    expect(two.received).toHaveLength(1);
  });

  it("keeps serving the others when one connection throws", () => {
    vi.useFakeTimers();
    const hub = createLiveHub({ coalesceMs: 10 });
    const good = collector();
    hub.subscribe({
      send: () => {
        throw new Error("socket gone");
      },
      close: () => {},
    });
    hub.subscribe(good.subscriber);
    hub.journeysChanged(["x"]);
    vi.advanceTimersByTime(10);
    expect(good.received).toHaveLength(1);
    expect(hub.size).toBe(1);
  });

  it("ends only the connections whose owner matches", () => {
    const hub = createLiveHub();
    const closed: string[] = [];
    hub.subscribe({ owner: "alice", send: () => {}, close: () => closed.push("alice") });
    hub.subscribe({ owner: "bob", send: () => {}, close: () => closed.push("bob") });
    expect(hub.disconnect((owner) => owner === "alice")).toBe(1);
    expect(closed).toEqual(["alice"]);
    expect(hub.size).toBe(1);
  });

  it("sends nothing when no journey changed", () => {
    vi.useFakeTimers();
    const hub = createLiveHub({ coalesceMs: 10 });
    const { received, subscriber } = collector();
    hub.subscribe(subscriber);
    hub.journeysChanged([]);
    vi.advanceTimersByTime(50);
    expect(received).toHaveLength(0);
  });

  it("asks every connection to refresh every journey after notices may have been missed", () => {
    vi.useFakeTimers();
    const hub = createLiveHub({ coalesceMs: 10, everyJourney: () => ["b", "a"] });
    const { received, subscriber } = collector();
    hub.subscribe(subscriber);
    hub.journeysChanged(["c"]);
    hub.everythingChanged();
    vi.advanceTimersByTime(10);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ journeys: ["a", "b", "c"], all: true });
  });

  it("ignores changes once closed", () => {
    vi.useFakeTimers();
    const hub = createLiveHub({ coalesceMs: 10 });
    hub.close();
    hub.journeysChanged(["x"]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
