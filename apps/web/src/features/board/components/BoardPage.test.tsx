import { render, screen, within } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Providers } from "../../../app/Providers.tsx";
import { createI18n } from "../../../lib/i18n.ts";
import { boardFixture, catalogueFixture } from "../../../test/fixtures.ts";
import { BoardPage } from "./BoardPage.tsx";

function answer(body: unknown) {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
}

afterEach(() => vi.unstubAllGlobals());

describe("BoardPage", () => {
  it("shows every journey with its state, worst first, and counts them by state", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) =>
        answer(String(url).startsWith("/api/v1/board") ? boardFixture(8) : catalogueFixture(8)),
      ),
    );
    const router = createMemoryRouter([{ path: "/", element: <BoardPage /> }]);
    render(
      <Providers i18n={createI18n("fr")} live={false} timeZone="Europe/Paris">
        <RouterProvider router={router} />
      </Providers>,
    );
    const grid = await screen.findByTestId("board-grid");
    const states = within(grid)
      .getAllByTestId("tile-state")
      .map((badge) => badge.getAttribute("data-state"));
    expect(states).toEqual(["down", "degraded", "under_exposed", "up", "up", "up", "up", "no_data"]);
    expect(screen.getByTestId("count-up").textContent).toContain("4");
    expect(screen.getByTestId("count-down").textContent).toContain("1");
    const down = within(grid).getAllByRole("article")[0]!;
    expect(down.textContent).toContain("Sonde en échec à l'étape Identité");
    expect(within(down).getByRole("link", { name: "1 incident ouvert" }).getAttribute("href")).toBe(
      "/incidents?journey=journey-4&status=open",
    );
  });
});
