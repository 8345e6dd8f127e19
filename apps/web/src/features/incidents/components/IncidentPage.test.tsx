import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { IncidentDetail } from "@vigie/contracts";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Providers } from "../../../app/Providers.tsx";
import { createI18n } from "../../../lib/i18n.ts";
import { setCurrentUser } from "../../../lib/session.ts";
import { catalogueFixture, incidentDetailFixture } from "../../../test/fixtures.ts";
import { IncidentPage } from "./IncidentPage.tsx";

function answer(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A server holding one incident, not acknowledged yet, that records acknowledgements and notes. */
function fakeServer() {
  const incident: IncidentDetail = {
    ...incidentDetailFixture(4, true),
    acknowledged: null,
    timeline: incidentDetailFixture(4, true).timeline.filter(
      (a) => a.kind === "opened" || a.kind === "changed",
    ),
  };
  const calls: { method: string; url: string; body?: unknown }[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? "GET";
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, url: String(url), body });
    if (String(url).startsWith("/api/v1/journeys")) return answer(catalogueFixture(1));
    if (method === "POST" && String(url).endsWith("/acknowledge")) {
      const by = { id: "u-9", name: "Nadia Operator" };
      incident.acknowledged = { at: "2026-11-20T09:30:00.000Z", by };
      incident.timeline.push({
        id: 90,
        kind: "acknowledged",
        at: incident.acknowledged.at,
        by,
        details: {},
        note: null,
      });
      return answer({ incident, alertsAcknowledged: [7] });
    }
    if (method === "POST" && String(url).endsWith("/notes")) {
      const note = {
        id: 91,
        kind: "note" as const,
        at: "2026-11-20T09:40:00.000Z",
        by: { id: "u-9", name: "Nadia Operator" },
        details: {},
        note: (body as { text: string }).text,
      };
      incident.timeline.push(note);
      return answer(note, 201);
    }
    if (String(url) === "/api/v1/incidents/4") return answer(structuredClone(incident));
    if (String(url) === "/api/v1/incidents/3")
      return answer(
        { code: "not_found", status: 404, detail: "Incident 3 was merged into incident 4.", mergedInto: 4 },
        404,
      );
    return answer({ title: "Not Found", status: 404 }, 404);
  });
  vi.stubGlobal("fetch", fetch);
  return { calls };
}

function renderPage(language: "en" | "fr" = "en", id = 4) {
  const router = createMemoryRouter([{ path: "/incidents/:id", element: <IncidentPage /> }], {
    initialEntries: [`/incidents/${id}`],
  });
  render(
    <Providers i18n={createI18n(language)} live={false} timeZone="Europe/Paris">
      <RouterProvider router={router} />
    </Providers>,
  );
}

// jsdom has no FontFaceSet; Mantine's autosizing textarea listens to it.
if (!("fonts" in document)) {
  Object.defineProperty(document, "fonts", {
    value: { addEventListener() {}, removeEventListener() {}, ready: Promise.resolve() },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCurrentUser(null);
});

// rendering Mantine under jsdom is slow on a busy machine: a generous budget, not a speed check
describe("IncidentPage", { timeout: 30_000 }, () => {
  it("shows the timeline, the alerts sent and the failed runs linking to their detail", async () => {
    fakeServer();
    setCurrentUser({ id: "u-2", name: "Viewer", roles: ["viewer"] });
    renderPage("fr");
    const timeline = await screen.findByTestId("incident-timeline");
    expect(
      Array.from(timeline.querySelectorAll("[data-kind]")).map((item) => item.getAttribute("data-kind")),
    ).toEqual(["opened", "changed"]);
    expect(timeline.textContent).toContain("Incident ouvert");
    expect(timeline.textContent).toContain("Désormais vu par Sondes + Trafic réel");
    const alerts = screen.getByTestId("alerts-sent");
    expect(within(alerts).getAllByRole("row")).toHaveLength(3);
    expect(alerts.textContent).toContain("Rétablissement");
    expect(alerts.textContent).toContain("Échec");
    const runs = screen.getByTestId("affected-runs");
    const firstRun = within(runs).getAllByRole("link")[0]!;
    expect(firstRun.getAttribute("href")).toMatch(/^\/runs\/cco-subscription\/.+/);
    expect(screen.getByRole("link", { name: /Voir les 48/ }).getAttribute("href")).toContain(
      "outcome=failed",
    );
    // a viewer reads, but neither acknowledges nor writes notes
    expect(screen.queryByRole("button", { name: "Prendre en charge" })).toBeNull();
    expect(screen.queryByRole("textbox", { name: /Note/ })).toBeNull();
    expect(screen.getByText("Pas encore pris en charge")).toBeTruthy();
  });

  it("lets an operator acknowledge, then shows who and when, and add a note to the timeline", async () => {
    const { calls } = fakeServer();
    setCurrentUser({ id: "u-9", name: "Nadia Operator", roles: ["operator"] });
    renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Acknowledge" }));
    expect((await screen.findByTestId("acknowledged")).textContent).toContain(
      "Acknowledged by Nadia Operator",
    );
    expect(calls.some((c) => c.method === "POST" && c.url === "/api/v1/incidents/4/acknowledge")).toBe(true);

    const note = screen.getByRole("textbox", { name: /Note/ });
    const add = screen.getByRole("button", { name: "Add the note" });
    expect(add.hasAttribute("disabled")).toBe(true); // blank
    fireEvent.change(note, { target: { value: "Rolled back the KYC adapter" } });
    fireEvent.click(add);
    await waitFor(() =>
      expect(screen.getByTestId("incident-timeline").textContent).toContain("Rolled back the KYC adapter"),
    );
    expect(calls.find((c) => c.url.endsWith("/notes"))?.body).toEqual({
      text: "Rolled back the KYC adapter",
    });
    expect((note as HTMLTextAreaElement).value).toBe("");
  });

  it("follows an incident merged into another one to the incident that absorbed it", async () => {
    fakeServer();
    renderPage("en", 3);
    expect(await screen.findByRole("heading", { name: /Incident #4/ })).toBeTruthy();
  });
});
