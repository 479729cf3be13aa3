// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title INonfungiblePositionManagerMinimal
/// @notice The few NonfungiblePositionManager (Uniswap v3-periphery 1.4.4) functions the local market uses.
/// @dev Declared here because the package's INonfungiblePositionManager does not compile with Solidity 0.8.
/// Signatures match the deployed artifact exactly.
interface INonfungiblePositionManagerMinimal {
    struct MintParams {
        address token0;
        address token1;
        uint24 fee;
        int24 tickLower;
        int24 tickUpper;
        uint256 amount0Desired;
        uint256 amount1Desired;
        uint256 amount0Min;
        uint256 amount1Min;
        address recipient;
        uint256 deadline;
    }

    /// @notice Creates the pool if needed and initialises it at `sqrtPriceX96` if it is not initialised yet.
    function createAndInitializePoolIfNecessary(address token0, address token1, uint24 fee, uint160 sqrtPriceX96)
        external
        payable
        returns (address pool);

    /// @notice Mints a liquidity position NFT, pulling the tokens from msg.sender.
    function mint(MintParams calldata params)
        external
        payable
        returns (uint256 tokenId, uint128 liquidity, uint256 amount0, uint256 amount1);

    /// @notice Position details of `tokenId`.
    function positions(uint256 tokenId)
        external
        view
        returns (
            uint96 nonce,
            address operator,
            address token0,
            address token1,
            uint24 fee,
            int24 tickLower,
            int24 tickUpper,
            uint128 liquidity,
            uint256 feeGrowthInside0LastX128,
            uint256 feeGrowthInside1LastX128,
            uint128 tokensOwed0,
            uint128 tokensOwed1
        );
}
