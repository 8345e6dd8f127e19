import { describe, expect, it } from "vitest";
import { keepMaskedSecrets, MASK, maskSecrets } from "./secrets.js";

describe("secrets in API answers", () => {
  it("masks a secret that is set and leaves an unset one unset", () => {
    expect(maskSecrets({ clientId: "vigie", clientSecret: "s3cret" }, ["clientSecret"])).toEqual({
      clientId: "vigie",
      clientSecret: MASK,
    });
    expect(maskSecrets({ clientId: "vigie" }, ["clientSecret"])).toEqual({ clientId: "vigie" });
  });

  it("masks a secret in every item of an array", () => {
    const masked = maskSecrets({ channels: [{ secret: "a" }, { secret: "b" }] }, ["channels[].secret"]);
    expect(masked).toEqual({ channels: [{ secret: MASK }, { secret: MASK }] });
  });

  it("never changes the value it masks", () => {
    const settings = { smtp: { password: "p" } };
    maskSecrets(settings, ["smtp.password"]);
    expect(settings.smtp.password).toBe("p");
  });

  it("keeps the stored secret when the mask is saved back", () => {
    const stored = { clientId: "vigie", clientSecret: "s3cret" };
    expect(keepMaskedSecrets({ clientId: "other", clientSecret: MASK }, stored, ["clientSecret"])).toEqual({
      clientId: "other",
      clientSecret: "s3cret",
    });
  });

  it("takes a new secret when one is typed", () => {
    const stored = { clientSecret: "old" };
    expect(keepMaskedSecrets({ clientSecret: "new" }, stored, ["clientSecret"])).toEqual({
      clientSecret: "new",
    });
  });

  it("keeps each array item's own secret by position", () => {
    const stored = { channels: [{ secret: "a" }, { secret: "b" }] };
    const saved = keepMaskedSecrets({ channels: [{ secret: MASK }, { secret: "c" }] }, stored, [
      "channels[].secret",
    ]);
    expect(saved).toEqual({ channels: [{ secret: "a" }, { secret: "c" }] });
  });
});
