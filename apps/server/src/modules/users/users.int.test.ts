import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, startTestApp, type TestApp } from "../../../test/harness.js";
import { SYSTEM_CONTEXT } from "../audit/service.js";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

describe("user accounts", () => {
  let vigie: TestApp;
  beforeAll(async () => {
    vigie = await startTestApp();
  });
  afterAll(async () => {
    await vigie?.close();
  });

  const signIn = (username: string, password: string) =>
    vigie.app.inject({ method: "POST", url: "/api/v1/session", payload: { username, password } });

  it("lets an admin create a user with a one-time password that signs in", async () => {
    const created = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: await authHeaders(vigie, "admin"),
      payload: { username: "camille", role: "sales", displayName: "Camille" },
    });
    expect(created.statusCode).toBe(201);
    const { user, oneTimePassword } = created.json();
    expect(user).toMatchObject({ username: "camille", role: "sales", mustChangePassword: true });
    expect((await signIn("camille", oneTimePassword)).statusCode).toBe(200);
  });

  it("refuses a user name already taken, whatever its case", async () => {
    await vigie.auth.users.create(SYSTEM_CONTEXT, { username: "dominique", role: "viewer" });
    const again = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: await authHeaders(vigie, "admin"),
      payload: { username: "Dominique", role: "viewer" },
    });
    expect(again.statusCode).toBe(409);
  });

  it("never shows a password hash or TOTP secret", async () => {
    const list = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/users",
      headers: await authHeaders(vigie, "admin"),
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toMatch(/argon2|password_hash|totp_secret|passwordHash/);
  });

  it("keeps the last admin from being demoted", async () => {
    const alone = await startTestApp();
    try {
      const { user } = await alone.auth.users.create(SYSTEM_CONTEXT, {
        username: "only-admin",
        role: "admin",
      });
      await expect(alone.auth.users.update(SYSTEM_CONTEXT, user.id, { role: "viewer" })).rejects.toThrow(
        /last active admin/,
      );
    } finally {
      await alone.close();
    }
  });

  it("creates the first admin with a one-time password on a fresh install, once", async () => {
    const fresh = await startTestApp();
    try {
      const first = await fresh.auth.users.createFirstAdmin(SYSTEM_CONTEXT);
      expect(first?.username).toBe("admin");
      expect(await fresh.auth.users.createFirstAdmin(SYSTEM_CONTEXT)).toBeUndefined();
      const response = await fresh.app.inject({
        method: "POST",
        url: "/api/v1/session",
        payload: { username: "admin", password: first?.oneTimePassword },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().user.mustChangePassword).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it("creates an admin from the command line: vigie user add --role admin", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", MAIN, "user", "add", "morgane", "--role", "admin"],
      { env: { ...process.env, DATABASE_URL: vigie.url, VIGIE_LOG_LEVEL: "warn" } },
    );
    const password = /One-time password: (\S+)/.exec(stdout)?.[1];
    expect(password).toBeDefined();
    const response = await signIn("morgane", password as string);
    expect(response.statusCode).toBe(200);
    expect(response.json().user.role).toBe("admin");
  });
});
