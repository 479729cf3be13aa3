// A progress line on stderr while transactions confirm: a spinner on a terminal, one line per event otherwise.
import type { Hash, TransactionReceipt } from "viem";
import type { Progress } from "../sdk/client";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface ProgressLine extends Progress {
  stop(): void;
}

export function progressLine(write: (text: string) => void, isTTY: boolean): ProgressLine {
  let timer: NodeJS.Timeout | undefined;
  let frame = 0;
  let startedAt = 0;
  const clear = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    if (isTTY) write("\r\x1b[2K");
  };
  return {
    sent(label: string, hash: Hash) {
      clear();
      startedAt = Date.now();
      const text = `${label}: ${hash.slice(0, 10)}… waiting for confirmation`;
      if (!isTTY) {
        write(`${text}\n`);
        return;
      }
      const draw = (): void => write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
      draw();
      timer = setInterval(draw, 80);
    },
    confirmed(label: string, receipt: TransactionReceipt) {
      clear();
      write(`✔ ${label} confirmed in block ${receipt.blockNumber} (gas ${receipt.gasUsed})\n`);
    },
    stop: clear,
  };
}
