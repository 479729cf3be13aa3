// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ArrayHelpers
/// @notice The array builders the forge tests share: literal lists, constant fills and target weights.
abstract contract ArrayHelpers {
    /// @dev The list [x0, x1].
    function _a(uint256 x0, uint256 x1) internal pure returns (uint256[] memory a) {
        a = new uint256[](2);
        (a[0], a[1]) = (x0, x1);
    }

    /// @dev The list [x0, x1, x2].
    function _a(uint256 x0, uint256 x1, uint256 x2) internal pure returns (uint256[] memory a) {
        a = new uint256[](3);
        (a[0], a[1], a[2]) = (x0, x1, x2);
    }

    /// @dev The list [x0, x1, x2, x3].
    function _a(uint256 x0, uint256 x1, uint256 x2, uint256 x3) internal pure returns (uint256[] memory a) {
        a = new uint256[](4);
        (a[0], a[1], a[2], a[3]) = (x0, x1, x2, x3);
    }

    /// @dev The list [x0, x1, x2, x3, x4].
    function _a(uint256 x0, uint256 x1, uint256 x2, uint256 x3, uint256 x4) internal pure returns (uint256[] memory a) {
        a = new uint256[](5);
        (a[0], a[1], a[2], a[3], a[4]) = (x0, x1, x2, x3, x4);
    }

    /// @dev `n` copies of `x`.
    function _fill(uint256 n, uint256 x) internal pure returns (uint256[] memory a) {
        a = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            a[i] = x;
        }
    }

    /// @dev Four target weights {bps}, in constituent order.
    function _targets(uint16 a, uint16 b, uint16 c, uint16 d) internal pure returns (uint16[] memory t) {
        t = new uint16[](4);
        (t[0], t[1], t[2], t[3]) = (a, b, c, d);
    }

    /// @dev Equal weights {bps} over `n` constituents, the last taking the remainder of 10,000.
    function _equalWeights(uint256 n) internal pure returns (uint16[] memory weights) {
        weights = new uint16[](n);
        uint256 each = 10_000 / n;
        for (uint256 i; i < n; ++i) {
            // casting to 'uint16' is safe because every weight is at most 10,000
            // forge-lint: disable-next-line(unsafe-typecast)
            weights[i] = uint16(i + 1 == n ? 10_000 - each * (n - 1) : each);
        }
    }
}
