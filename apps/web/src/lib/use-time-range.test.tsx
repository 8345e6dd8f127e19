import { act, render } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { describe, expect, it } from "vitest";
import { Providers } from "../app/Providers.tsx";
import { createI18n } from "./i18n.ts";
import { presetRange } from "./time-range.ts";
import { useTimeRange } from "./use-time-range.ts";

let controls: ReturnType<typeof useTimeRange> | undefined;

/** Renders nothing; hands the hook's answer to the test. */
function Probe() {
  controls = useTimeRange();
  return null;
}

describe("useTimeRange", () => {
  it("keeps both of two changes made before the page shows the first (a preset, then compare)", async () => {
    const router = createMemoryRouter([{ path: "/", element: <Probe /> }]);
    render(
      <Providers i18n={createI18n("en")} live={false} timeZone="Europe/Paris">
        <RouterProvider router={router} />
      </Providers>,
    );
    await act(async () => {
      controls!.setRange(presetRange("thisWeek", new Date(), "Europe/Paris"));
      controls!.setCompare(true);
    });
    const search = new URLSearchParams(router.state.location.search);
    expect(search.get("range")).toBe("thisWeek");
    expect(search.get("compare")).toBe("1");
    expect(controls!.compare).toBe(true);
    expect(controls!.range.preset).toBe("thisWeek");
  });
});
