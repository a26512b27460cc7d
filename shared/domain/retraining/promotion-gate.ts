/*
 * The evaluation gate between a retrained candidate and the model in service. Pure: figures in, decision out.
 *
 * Rule: promote only if the candidate is
 *   1. NOT WORSE on the frozen gold set (enquiries by an independent writer, never trained on): topic accuracy
 *      and department accuracy no more than `goldMargin` below, and confident-wrong routing no more than
 *      `goldMargin` above, both the current model AND the shipped model (the floor: weekly retraining cannot
 *      drift below it one small step at a time); and
 *   2. BETTER on the newest agent-labelled enquiries held out from its training: it gets right significantly
 *      more of those the two models disagree on (exact one-sided McNemar test, p < `significance`), which needs
 *      at least `minHeldOut` held-out enquiries to be possible at all.
 * "Not worse" has a margin because retraining on a few dozen more examples moves single gold enquiries
 * either way (one of 385 is 0.26 points); "better" needs significance because a lucky guess or two must
 * not promote a model (labels that teach nothing, such as random ones, are refused).
 */

export interface GoldFigures {
  topicAccuracy: number;
  departmentAccuracy: number;
  /** Accepted without a second opinion yet routed to the wrong department, as a share of all. */
  confidentWrong: number;
}

export interface HeldOutFigures {
  examples: number;
  currentCorrect: number;
  candidateCorrect: number;
  /** Right by the candidate, wrong by the current model. */
  fixed: number;
  /** Right by the current model, wrong by the candidate. */
  broken: number;
}

export interface ModelComparison {
  /** The model in service: a stored version, or the shipped model. */
  currentVersion: string;
  candidateVersion: string;
  gold: { examples: number; current: GoldFigures; candidate: GoldFigures; /** The shipped model, when it is not the current one. */ floor?: GoldFigures };
  heldOut: HeldOutFigures;
}

export interface GateRules {
  /** How far below (accuracies) or above (confident-wrong) the current and floor models a candidate may be on gold. */
  goldMargin: number;
  /** One-sided p-value under which the held-out improvement counts as real. */
  significance: number;
  /** Fewer held-out enquiries than this cannot show a significant improvement: the gate refuses. */
  minHeldOut: number;
}

/** 1 point on 385 gold enquiries is 4 of them; 5 fixed and none broken is the least that reaches p < 0.05. */
export const DEFAULT_GATE_RULES: GateRules = { goldMargin: 0.01, significance: 0.05, minHeldOut: 5 };

export interface GateCheck {
  check: string;
  passed: boolean;
  detail: string;
}

export interface GateDecision {
  promote: boolean;
  checks: GateCheck[];
  /** The failed checks' details (empty when promoted). */
  reasons: string[];
  /** Of the held-out comparison. */
  pValue: number;
}

/** P(X ≥ k) for X ~ Binomial(n, 1/2): the exact one-sided McNemar p-value for `k` of `n` discordant pairs. */
export function mcNemarOneSided(fixed: number, broken: number): number {
  const n = fixed + broken;
  if (n === 0) return 1;
  let logBinomial = 0; // log C(n, 0)
  let total = 0;
  for (let k = 0; k <= n; k += 1) {
    if (k > 0) logBinomial += Math.log(n - k + 1) - Math.log(k);
    if (k >= fixed) total += Math.exp(logBinomial - n * Math.LN2);
  }
  return Math.min(1, total);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pt`;

function goldChecks(name: string, candidate: GoldFigures, baseline: GoldFigures, margin: number): GateCheck[] {
  const higherIsBetter = (check: string, key: 'topicAccuracy' | 'departmentAccuracy', label: string): GateCheck => {
    const change = candidate[key] - baseline[key];
    return {
      check: `gold ${check} vs ${name}`,
      passed: change >= -margin - 1e-12,
      detail: `gold ${label} ${pct(candidate[key])} vs ${name} ${pct(baseline[key])} (${points(change)}; may fall ${(margin * 100).toFixed(1)} pt at most)`,
    };
  };
  const change = candidate.confidentWrong - baseline.confidentWrong;
  return [
    higherIsBetter('topic accuracy', 'topicAccuracy', 'topic accuracy'),
    higherIsBetter('department accuracy', 'departmentAccuracy', 'department accuracy'),
    {
      check: `gold confident-wrong vs ${name}`,
      passed: change <= margin + 1e-12,
      detail: `gold confident-wrong routing ${pct(candidate.confidentWrong)} vs ${name} ${pct(baseline.confidentWrong)} (${points(change)}; may rise ${(margin * 100).toFixed(1)} pt at most)`,
    },
  ];
}

/** Decides whether the candidate replaces the current model (see the rule at the top of this file). */
export function promotionGate(comparison: ModelComparison, rules: GateRules = DEFAULT_GATE_RULES): GateDecision {
  const { gold, heldOut } = comparison;
  const pValue = mcNemarOneSided(heldOut.fixed, heldOut.broken);
  const checks: GateCheck[] = [
    ...goldChecks(`current (${comparison.currentVersion})`, gold.candidate, gold.current, rules.goldMargin),
    ...(gold.floor ? goldChecks('shipped (floor)', gold.candidate, gold.floor, rules.goldMargin) : []),
    {
      check: 'held-out size',
      passed: heldOut.examples >= rules.minHeldOut,
      detail: `${heldOut.examples} newest agent-labelled enquiries held out (at least ${rules.minHeldOut} needed)`,
    },
    {
      check: 'held-out improvement',
      passed: heldOut.fixed > heldOut.broken && pValue < rules.significance,
      detail:
        `held out: ${heldOut.candidateCorrect}/${heldOut.examples} right vs current ${heldOut.currentCorrect}/${heldOut.examples} ` +
        `(fixed ${heldOut.fixed}, broke ${heldOut.broken}; p = ${pValue.toPrecision(2)}, must be < ${rules.significance})`,
    },
  ];
  const reasons = checks.filter((c) => !c.passed).map((c) => c.detail);
  return { promote: reasons.length === 0, checks, reasons, pValue };
}

/** The comparison as lines for a terminal or a log (figures only, no enquiry text). */
export function formatComparison(comparison: ModelComparison, decision: GateDecision): string[] {
  const { gold, heldOut } = comparison;
  const row = (name: string, f: GoldFigures) =>
    `  ${name.padEnd(22)} topic ${pct(f.topicAccuracy).padStart(6)}   department ${pct(f.departmentAccuracy).padStart(6)}   confident-wrong ${pct(f.confidentWrong).padStart(5)}`;
  return [
    `gold set (${gold.examples} enquiries, frozen):`,
    row(`current ${comparison.currentVersion}`, gold.current),
    ...(gold.floor ? [row('shipped (floor)', gold.floor)] : []),
    row(`candidate ${comparison.candidateVersion}`, gold.candidate),
    `held-out newest agent-labelled enquiries (${heldOut.examples}): current ${heldOut.currentCorrect} right, candidate ${heldOut.candidateCorrect} right ` +
      `(fixed ${heldOut.fixed}, broke ${heldOut.broken}, p = ${decision.pValue.toPrecision(2)})`,
    ...decision.checks.map((c) => `  ${c.passed ? '✔' : '✘'} ${c.detail}`),
    decision.promote ? `decision: PROMOTE ${comparison.candidateVersion}` : `decision: REFUSED (${decision.reasons.length} check${decision.reasons.length === 1 ? '' : 's'} failed); ${comparison.currentVersion} stays`,
  ];
}
