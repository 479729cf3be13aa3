// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";

/// @title AuditedBuild
/// @notice Deploys this repository's contracts from the build whose bytecode ships. `npm run test:forge` compiles the
///         test sources without the optimizer (foundry.toml's `tests` profile: about 4x faster to compile) while
///         `npm run build` writes the audited build (default profile) to out/; fixtures deploy the protocol, the mocks
///         on measured paths and the vault harnesses from there, so what the tests run is what is deployed.
abstract contract AuditedBuild is CommonBase, StdCheats {
    /// @notice Profile under which `npm run test:forge` compiles the test sources without the optimizer (foundry.toml).
    string internal constant TESTS_PROFILE = "tests";
    /// @notice Where `npm run build` writes the audited build (foundry.toml's default profile).
    string internal constant AUDITED_OUT = "out";

    /// @notice Deploys contract `name`, declared in `file`, with ABI-encoded constructor `args` from the build whose
    ///         bytecode ships. Under the `tests` profile (test sources compiled without the optimizer, for speed) that
    ///         is the audited build in out/ written by `npm run build`; under any other profile it is this run's own
    ///         build (the same settings). The protocol's contracts, the mocks on measured paths and the vault harnesses
    ///         are deployed through here, so gas snapshots, size limits and behaviour are those of the audited
    ///         bytecode whichever profile compiled the tests. Same CREATE as `new`: same addresses.
    function _deployBuilt(string memory file, string memory name, bytes memory args) internal returns (address) {
        return deployCode(_builtArtifact(file, name), args);
    }

    /// @notice The artifact `_deployBuilt` reads: `out/<file>/<name>.json` under the `tests` profile, else `<file>:<name>`.
    function _builtArtifact(string memory file, string memory name) internal view returns (string memory) {
        string memory profile = vm.envOr("FOUNDRY_PROFILE", string("default"));
        if (keccak256(bytes(profile)) == keccak256(bytes(TESTS_PROFILE))) {
            return string.concat(AUDITED_OUT, "/", file, "/", name, ".json");
        }
        return string.concat(file, ":", name);
    }
}
