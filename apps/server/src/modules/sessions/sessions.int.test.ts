import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, testConfig } from "../../../test/harness.js";
import { SYSTEM_CONTEXT } from "../audit/service.js";

const PASSWORD = "correct horse battery staple";
let counter = 0;

/** A user with a known password, made through the service as an admin would. */
async function createUser(vigie: TestApp, role: "admin" | "operator" | "viewer" | "sales" = "viewer") {
  counter += 1;
  const username = `user${counter}-${Date.now().toString(36)}`;
  const { user } = await vigie.auth.users.create(SYSTEM_CONTEXT, { username, role, password: PASSWORD });
  return { ...user, username };
}

function cookieOf(response: { headers: Record<string, unknown> }): string {
  const setCookie = [response.headers["set-cookie"]]
    .flat()
    .find((c) => String(c).startsWith("vigie_session="));
  if (!setCookie) throw new Error("no session cookie set");
  return String(setCookie).split(";")[0] as string;
}

async function signIn(vigie: TestApp, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return vigie.app.inject({ method: "POST", url: "/api/v1/session", payload: body, headers });
}

describe("sign-in and sessions", () => {
  let vigie: TestApp;
  let listening: Promise<string> | undefined;
  const baseUrl = () => {
    listening ??= vigie.listen();
    return listening;
  };
  beforeAll(async () => {
    vigie = await startTestApp(
      testConfig({ auth: { signInLimits: { perAccount: 3, perAddress: 100, window: "15m" } } }),
    );
  });
  afterAll(async () => {
    await vigie?.close();
  });

  it("signs in with a password and sets an HttpOnly SameSite=Lax session cookie", async () => {
    const user = await createUser(vigie);
    const response = await signIn(vigie, { username: user.username, password: PASSWORD });
    expect(response.statusCode).toBe(200);
    const setCookie = String([response.headers["set-cookie"]].flat()[0]);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const me = await vigie.app.inject({
      method: "GET",
      url: "/api/v1/me",
      headers: { cookie: cookieOf(response) },
    });
    expect(me.json().user.username).toBe(user.username);
  });

  it("issues a __Host- Secure cookie when served over HTTPS behind a trusted proxy", async () => {
    const behindProxy = await startTestApp(testConfig({ auth: { trustedProxies: ["127.0.0.1"] } }));
    try {
      const user = await createUser(behindProxy);
      const response = await signIn(
        behindProxy,
        { username: user.username, password: PASSWORD },
        { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9" },
      );
      const setCookie = String([response.headers["set-cookie"]].flat()[0]);
      expect(setCookie).toMatch(/^__Host-vigie_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax/);
      // Behind a trusted proxy, the client's address is the forwarded one.
      const [entry] = await behindProxy.auth.audit.list({ action: "session.sign_in" });
      expect(entry?.address).toBe("203.0.113.9");
    } finally {
      await behindProxy.close();
    }
  });

  it("gives a new session id at each sign-in", async () => {
    const user = await createUser(vigie);
    const first = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    const second = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    expect(first).not.toBe(second);
  });

  it("answers an unknown user exactly as a wrong password", async () => {
    const user = await createUser(vigie);
    const wrong = await signIn(vigie, { username: user.username, password: "not the password at all" });
    const unknown = await signIn(vigie, { username: "nobody-here", password: "not the password at all" });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
  });

  it("refuses brute force with 429, and a rotating X-Forwarded-For does not reset the count", async () => {
    const user = await createUser(vigie);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await signIn(
        vigie,
        { username: user.username, password: `guess number ${attempt}` },
        { "x-forwarded-for": `198.51.100.${attempt}` },
      );
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const right = await signIn(
      vigie,
      { username: user.username, password: PASSWORD },
      { "x-forwarded-for": "192.0.2.1" },
    );
    expect(right.statusCode).toBe(429);
    expect(right.headers["retry-after"]).toBeDefined();
  });

  it("refuses guessing across accounts from one address with 429", async () => {
    const strict = await startTestApp(
      testConfig({ auth: { signInLimits: { perAccount: 10, perAddress: 2 } } }),
    );
    try {
      const statuses: number[] = [];
      for (const name of ["ann", "bob", "cid"]) {
        statuses.push((await signIn(strict, { username: name, password: "guessing away" })).statusCode);
      }
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await strict.close();
    }
  });

  it("refuses a disabled user as if the password were wrong", async () => {
    const user = await createUser(vigie);
    await vigie.auth.users.update(SYSTEM_CONTEXT, user.id, { disabled: true });
    const response = await signIn(vigie, { username: user.username, password: PASSWORD });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_credentials");
  });

  it("ends the session at sign-out", async () => {
    const user = await createUser(vigie);
    const cookie = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    const out = await vigie.app.inject({ method: "DELETE", url: "/api/v1/session", headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const me = await vigie.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  it("ends every session of a user on password change, and gives the changer a new one", async () => {
    const user = await createUser(vigie);
    const laptop = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    const phone = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    const change = await vigie.app.inject({
      method: "POST",
      url: "/api/v1/me/password",
      headers: { cookie: laptop },
      payload: { currentPassword: PASSWORD, newPassword: "a brand new passphrase" },
    });
    expect(change.statusCode).toBe(204);
    for (const cookie of [laptop, phone]) {
      expect(
        (await vigie.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } })).statusCode,
      ).toBe(401);
    }
    const renewed = cookieOf(change);
    expect(
      (await vigie.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie: renewed } })).statusCode,
    ).toBe(200);
  });

  it("closes a live-update connection when its user's password changes", async () => {
    const base = await baseUrl();
    const user = await createUser(vigie);
    const cookie = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    const stream = await fetch(`${base}/api/v1/live`, { headers: { cookie, accept: "text/event-stream" } });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the "connected" comment
    const ended = (async () => {
      try {
        while (!(await reader.read()).done) {
          // heartbeats and changes until the server cuts the stream
        }
        return "closed";
      } catch {
        return "closed";
      }
    })();
    await vigie.auth.users.changeOwnPassword(SYSTEM_CONTEXT, user.id, {
      current: PASSWORD,
      next: "another new passphrase",
    });
    expect(await ended).toBe("closed");
  });

  it("closes a live-update connection whose session another instance ended", async () => {
    const base = await baseUrl();
    const user = await createUser(vigie);
    const cookie = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    const stream = await fetch(`${base}/api/v1/live`, { headers: { cookie, accept: "text/event-stream" } });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    // Another instance ends the session: only the database knows.
    await vigie.database.db
      .updateTable("sessions")
      .set({ ended_at: new Date(), ended_reason: "elsewhere" })
      .where("user_id", "=", user.id)
      .execute();
    expect(await vigie.auth.sessions.closeDeadConnections()).toBe(1);
    const ended = await reader.read().then(
      (chunk) => chunk.done,
      () => true,
    );
    expect(ended).toBe(true);
  });

  it("ends a user's sessions when an admin changes their role", async () => {
    const user = await createUser(vigie, "operator");
    const cookie = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    await vigie.auth.users.update(SYSTEM_CONTEXT, user.id, { role: "viewer" });
    expect(
      (await vigie.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } })).statusCode,
    ).toBe(401);
  });

  it("ends every session at sign-out everywhere", async () => {
    const user = await createUser(vigie);
    const one = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    const two = cookieOf(await signIn(vigie, { username: user.username, password: PASSWORD }));
    await vigie.app.inject({ method: "POST", url: "/api/v1/session/end-all", headers: { cookie: one } });
    expect(
      (await vigie.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie: two } })).statusCode,
    ).toBe(401);
  });

  it("confines a one-time password session to changing the password", async () => {
    const { user, oneTimePassword } = await vigie.auth.users.create(SYSTEM_CONTEXT, {
      username: `fresh-${Date.now().toString(36)}`,
      role: "operator",
    });
    const cookie = cookieOf(await signIn(vigie, { username: user.username, password: oneTimePassword }));
    const journeys = await vigie.app.inject({ method: "GET", url: "/api/v1/journeys", headers: { cookie } });
    expect(journeys.statusCode).toBe(403);
    expect(journeys.json().code).toBe("password_change_required");
    const me = await vigie.app.inject({ method: "GET", url: "/api/v1/me", headers: { cookie } });
    expect(me.json().restricted).toBe("password_change_required");
  });

  it("requires the TOTP code once enrolled, and refuses a code used twice", async () => {
    const user = await createUser(vigie, "sales");
    const { secret } = await vigie.auth.users.beginTotp(user.id);
    // Enrolment consumes the current time step: sign-in then needs a later code, so the step is
    // freed here by enrolling with the previous period's code.
    const previous = await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 30 });
    await vigie.auth.users.confirmTotp(SYSTEM_CONTEXT, user.id, previous);
    const withoutCode = await signIn(vigie, { username: user.username, password: PASSWORD });
    expect(withoutCode.json().code).toBe("totp_required");
    const code = await generate({ secret });
    const first = await signIn(vigie, { username: user.username, password: PASSWORD, totp: code });
    expect(first.statusCode).toBe(200);
    const replay = await signIn(vigie, { username: user.username, password: PASSWORD, totp: code });
    expect(replay.statusCode).toBe(401);
  });

  it("confines an admin without TOTP to enrolling when TOTP is required", async () => {
    const strict = await startTestApp(testConfig({ auth: { totpRequired: true } }));
    try {
      const user = await createUser(strict, "admin");
      const cookie = cookieOf(await signIn(strict, { username: user.username, password: PASSWORD }));
      const users = await strict.app.inject({ method: "GET", url: "/api/v1/users", headers: { cookie } });
      expect(users.json().code).toBe("totp_enrolment_required");
      const enrol = await strict.app.inject({ method: "POST", url: "/api/v1/me/totp", headers: { cookie } });
      expect(enrol.json().uri).toMatch(/^otpauth:\/\/totp\/Vigie:/);
    } finally {
      await strict.close();
    }
  });
});
