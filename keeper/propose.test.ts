import { describe, expect, it } from "vitest";
import { ProposalError, alignTargets } from "./propose";

const A = "0x00000000000000000000000000000000000000e1" as const;
const B = "0x00000000000000000000000000000000000000b1" as const;
const C = "0x00000000000000000000000000000000000000c1" as const;

describe("alignTargets", () => {
  it("test_alignTargets_ordersWeightsLikeTheVaultCaseInsensitively", () => {
    const weights = [
      { token: C, bps: 2000 },
      { token: A.toUpperCase().replace("0X", "0x") as `0x${string}`, bps: 5000 },
      { token: B, bps: 3000 },
    ];
    expect(alignTargets([A, B, C], weights)).toEqual([5000, 3000, 2000]);
  });

  it("test_alignTargets_rejectsMissingAndExtraTokens", () => {
    expect(() => alignTargets([A, B], [{ token: A, bps: 10_000 }])).toThrow(new ProposalError(`no weight for constituent(s) ${B}`));
    expect(() =>
      alignTargets(
        [A],
        [
          { token: A, bps: 5000 },
          { token: C, bps: 5000 },
        ],
      ),
    ).toThrow(/not constituents of the vault: 0x0+c1 \(adding one needs proposeAddConstituent\)/);
  });
});
