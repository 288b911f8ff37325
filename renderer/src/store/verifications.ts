/**
 * Verification results by the run they verify (VerificationResult.runId): the Run page shows the current
 * run's only and the Runs page each run's own, so a FAIL from another run never shows under this one.
 */
import { create } from 'zustand';
import type { VerificationResult } from '../../../shared/contract/verify';

interface VerificationsState {
  byRun: Record<string, VerificationResult>;
}

export const useVerifications = create<VerificationsState>()(() => ({ byRun: {} }));

/** Keep a result under its run (the engine says which), or the run it was asked for when it names none. */
export function rememberVerification(result: VerificationResult, askedFor: string | null): string | null {
  const runId = result.runId ?? askedFor;
  if (runId) useVerifications.setState((s) => ({ byRun: { ...s.byRun, [runId]: result } }));
  return runId;
}

/** The newer of two results for one run (a stored one and one verified in this window). */
export function newer(a: VerificationResult | null | undefined, b: VerificationResult | null | undefined): VerificationResult | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(a.at) >= Date.parse(b.at) ? a : b;
}
