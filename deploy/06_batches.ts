// 06 · Batches: the ERC-7540 front door of every example index. Deploys the IndexVaultBatch implementation and the
// IndexBatchFactory (over the IndexFactory), then creates the batch of each `indexes[]` entry of
// config/<network>.json through the batch factory (permissionless, one per registered vault) and saves it as
// `Batch_<id>` (linkedData: the vault and index id). Re-running reuses the contracts and the batches the factory
// already records. `createBatch` comes from sdk/protocol.ts (viem over hardhat's provider), like 05's vaults.
import type { DeployFunction } from "hardhat-deploy/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getAddress, type Address } from "viem";
import { indexDeploymentName } from "../config/index";
import { deployConfig, viemClients } from "../config/hardhat";
import { createBatch } from "../sdk/protocol";

/** The hardhat-deploy record name of an index's batch. */
export function batchDeploymentName(index: { readonly id: string }): string {
  return `Batch_${index.id}`;
}

const func: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments } = hre;
  const config = await deployConfig(hre);
  const { deployer } = await hre.getNamedAccounts();
  const factory = (await deployments.get("IndexFactory")).address;
  const implementation = await deployments.deploy("IndexVaultBatch", { from: deployer!, args: [], log: true });
  const batchFactory = await deployments.deploy("IndexBatchFactory", { from: deployer!, args: [implementation.address, factory], log: true });
  const { publicClient, wallet } = await viemClients(hre, getAddress(deployer!));
  const batchArtifact = await deployments.getArtifact("IndexVaultBatch");

  for (const index of config.indexes) {
    const vaultRecord = await deployments.getOrNull(indexDeploymentName(index));
    if (vaultRecord == null) throw new Error(`no ${indexDeploymentName(index)} record: run deploy/05_indexes.ts first`);
    const vault = getAddress(vaultRecord.address);
    const { batch, receipt } = await createBatch(publicClient, wallet, getAddress(batchFactory.address), vault).catch((cause: unknown) => {
      throw new Error(`createBatch for ${index.id} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    });
    await deployments.save(batchDeploymentName(index), {
      address: batch,
      abi: batchArtifact.abi,
      ...(receipt === undefined ? {} : { transactionHash: receipt.transactionHash }),
      linkedData: { id: index.id, vault },
    });
    deployments.log(`${index.symbol} batch: ${batch}${receipt === undefined ? " (existing)" : ` (gas ${receipt.gasUsed})`}`);
  }
};

func.tags = ["Batches"];
func.dependencies = ["Indexes"];

export default func;
