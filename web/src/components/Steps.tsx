import type { Hash } from "viem";
import { short } from "../lib/format";

export type StepState = "todo" | "active" | "done" | "skipped" | "failed";
export interface Step {
  key: string;
  label: string;
  state: StepState;
  hash?: Hash;
}

const WORD: Record<StepState, string> = { todo: "waiting", active: "in progress", done: "done", skipped: "not needed", failed: "failed" };

export function Steps({ steps, label }: { steps: Step[]; label: string }) {
  if (steps.length === 0) return null;
  return (
    <ol className="steps" aria-label={label} aria-live="polite">
      {steps.map((s) => (
        <li key={s.key} className={`step ${s.state}`} data-step={s.key} data-state={s.state}>
          <span className="dotmark" aria-hidden="true" />
          {s.label}: <strong>{WORD[s.state]}</strong>
          {s.hash !== undefined ? <span className="small muted"> tx {short(s.hash)}</span> : null}
        </li>
      ))}
    </ol>
  );
}

export function update(steps: Step[], key: string, patch: Partial<Step>): Step[] {
  return steps.map((s) => (s.key === key ? { ...s, ...patch } : s));
}
