import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, type TestApp } from "../../../test/harness.js";
import { SYSTEM_CONTEXT } from "./service.js";

describe("audit log", () => {
  let vigie: TestApp;
  beforeAll(async () => {
    vigie = await startTestApp();
  });
  afterAll(async () => {
    await vigie?.close();
  });

  it("records sign-ins and failures with who, when and from where, without the user name", async () => {
    const { user } = await vigie.auth.users.create(SYSTEM_CONTEXT, {
      username: "eloise.martin@bank.example",
      role: "viewer",
      password: "a long enough password",
    });
    await vigie.app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: "eloise.martin@bank.example", password: "wrong password!" },
    });
    await vigie.app.inject({
      method: "POST",
      url: "/api/v1/session",
      payload: { username: "eloise.martin@bank.example", password: "a long enough password" },
    });
    const response = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/audit?action=session.",
      headers: await authHeaders(vigie, "admin"),
    });
    const items = response.json().items as {
      outcome: string;
      actor: { id: string };
      target: { id: string };
      address: string;
    }[];
    expect(items.find((i) => i.outcome === "success")?.actor.id).toBe(user.id);
    expect(items.find((i) => i.outcome === "failure")?.target.id).toBe(user.id);
    expect(items[0]?.address).toBe("127.0.0.1");
    expect(response.body).not.toContain("eloise");
  });

  it("records role changes", async () => {
    const { user } = await vigie.auth.users.create(SYSTEM_CONTEXT, { username: "fabien", role: "viewer" });
    await vigie.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${user.id}`,
      headers: await authHeaders(vigie, "admin"),
      payload: { role: "operator" },
    });
    const [entry] = await vigie.auth.audit.list({ action: "user.role_changed" });
    expect(entry).toMatchObject({
      target: { kind: "user", id: user.id },
      details: { from: "viewer", to: "operator" },
    });
  });

  it("is append-only: the database refuses to change or delete a row", async () => {
    await vigie.auth.audit.record({ action: "test.entry", actor: { kind: "system" } });
    await expect(sql`UPDATE audit_log SET action = 'forged'`.execute(vigie.database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(vigie.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(vigie.database.db)).rejects.toThrow(/append-only/);
  });

  it("is readable by admins only", async () => {
    const viewer = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/audit",
      headers: await authHeaders(vigie, "viewer"),
    });
    expect(viewer.statusCode).toBe(403);
  });
});
