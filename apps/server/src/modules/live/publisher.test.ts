import { afterEach, describe, expect, it, vi } from "vitest";
import { createChangePublisher } from "./publisher.js";

afterEach(() => {
  vi.useRealTimers();
});

/** A publisher whose notices are recorded (the PostgreSQL side is covered by fanout.int.test.ts). */
function recording(windowMs = 250) {
  const sent: unknown[] = [];
  const publisher = createChangePublisher({
    notify: async (payload) => {
      sent.push(JSON.parse(payload));
    },
    windowMs,
  });
  return { sent, publisher };
}

describe("change publisher", () => {
  it("sends a quiet system's first change at once", async () => {
    vi.useFakeTimers();
    const { sent, publisher } = recording();
    publisher.journeysChanged(["cco"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ journeys: ["cco"] }]);
  });

  it("sends one notice per window for a burst of commits, naming each journey once", async () => {
    vi.useFakeTimers();
    const { sent, publisher } = recording(250);
    publisher.journeysChanged(["b"]);
    await vi.advanceTimersByTimeAsync(0);
    for (const journeys of [["b", "a"], ["c"], ["a"]]) {
      publisher.journeysChanged(journeys);
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual([{ journeys: ["b"] }, { journeys: ["a", "b", "c"] }]);
  });

  it("sends nothing for a commit that changed no journey", async () => {
    vi.useFakeTimers();
    const { sent, publisher } = recording();
    publisher.journeysChanged([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([]);
  });

  it("hands the journeys back when the notice cannot be sent", async () => {
    const failed: string[][] = [];
    const publisher = createChangePublisher({
      notify: () => Promise.reject(new Error("connection lost")),
      onFailed: (journeys) => failed.push(journeys),
    });
    publisher.journeysChanged(["cco"]);
    await publisher.close();
    expect(failed).toEqual([["cco"]]);
  });

  it("sends what is pending when closed, and nothing after", async () => {
    vi.useFakeTimers();
    const { sent, publisher } = recording(250);
    publisher.journeysChanged(["a"]);
    await vi.advanceTimersByTimeAsync(0);
    publisher.journeysChanged(["b"]);
    await publisher.close();
    publisher.journeysChanged(["c"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([{ journeys: ["a"] }, { journeys: ["b"] }]);
  });
});
