import { IconLayoutDashboard } from "@tabler/icons-react";
import type { Feature } from "../../app/feature.ts";
import { appQueryClient } from "../../lib/query-client.ts";
import { prefetchBoard } from "./api/get-board.ts";
import { BoardPage } from "./components/BoardPage.tsx";

/** The board is the home page: loaded with the app (no lazy chunk), since everyone lands there. */
export const feature: Feature = {
  routes: [
    {
      index: true,
      element: <BoardPage />,
      loader: () => {
        prefetchBoard(appQueryClient());
        return null;
      },
    },
  ],
  nav: [{ to: "/", labelKey: "board.nav", icon: IconLayoutDashboard, order: 10 }],
};
