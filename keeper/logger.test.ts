import { describe, expect, it } from "vitest";
import { createLogger, jsonSafe } from "./logger";

function capture() {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", destination: { write: (s: string) => void lines.push(s) } });
  return { log, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("logger", () => {
  it("test_logger_writesJsonWithBigintsAsExactStrings", () => {
    const { log, records } = capture();
    log.info({ vault: "0xa1", navD18: 10n ** 30n + 1n, legs: [{ amountIn: 5n }] }, "decided");
    expect(records()[0]).toMatchObject({
      level: "info",
      service: "keeper",
      msg: "decided",
      navD18: "1000000000000000000000000000001",
      legs: [{ amountIn: "5" }],
    });
  });

  it("test_logger_redactsSecretsAndRpcUrl", () => {
    const { log, records } = capture();
    log.info({ config: { rpcUrl: "https://rpc/key", secrets: { privateKey: "0xdead" } }, privateKey: "0xbeef" }, "start");
    const line = JSON.stringify(records()[0]);
    expect(line).not.toContain("0xdead");
    expect(line).not.toContain("0xbeef");
    expect(line).not.toContain("rpc/key");
  });

  it("test_jsonSafe_handlesCycles", () => {
    const a: Record<string, unknown> = { n: 1n };
    a.self = a;
    expect(jsonSafe(a)).toEqual({ n: "1", self: "[circular]" });
  });
});
