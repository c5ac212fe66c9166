// A dry run: what publishing (or promoting) an artifact would do now, decided from the pipeline and what the
// stores hold, creating nothing. Pure: the time and everything read come in as arguments.
import { type Candidate, entryRefusal, quarantineHold, type Restrictions } from './entering.js';
import { type FreezeOpening, freezeCalendar } from './freeze.js';
import { phaseInWords } from './phase-words.js';
import {
  type Environment,
  type Pipeline,
  productionIndex,
  type RolloutStrategy,
  type Service,
} from './pipeline.js';
import type { Color, Hold, Promotion, PromotionStatus } from './promotion.js';
import { environmentOf, statusOf } from './promotion-view.js';
import { immutableVersionRefusal, unknownServiceRefusal } from './publish-refusals.js';
import { expectedRolloutMs, idleColor, type RolloutStepPlan, rolloutPlan } from './rollout-plan.js';
import { outlineStep, type StepOutline } from './step-outline.js';

/** How far ahead a plan lists the freeze windows that open next (as App Home does). */
export const PLAN_FREEZE_HORIZON_MS = 14 * 24 * 3600_000;

/** The artifact a plan is for; without a digest (`/promote … --dry-run`), the one its version was published with. */
export type PlannedArtifact = {
  readonly service: string;
  readonly version: string;
  readonly digest?: string;
  readonly commit?: string;
  readonly url?: string;
};

/** What an environment runs now: its current deployment record. */
export type RunningNow = {
  readonly version: string;
  readonly digest: string;
  readonly promotionId: string;
  readonly since: string;
  readonly color?: Color;
};

export type PlanInput = {
  readonly pipeline: Pipeline;
  readonly artifact: PlannedArtifact;
  /** The version's record when it was published before: its digest, and its promotion while that is kept. */
  readonly published?: {
    readonly digest: string;
    readonly promotionId: string;
    readonly promotion?: Promotion;
  };
  /** The service's holds, and why the artifact's digest was rolled back (if it was). */
  readonly restrictions: Restrictions;
  /** What each environment runs now, in pipeline order. */
  readonly running: readonly (RunningNow | undefined)[];
  /** A forced re-promotion (`--force`): its digest's quarantine no longer applies. */
  readonly forcedBy?: string;
  readonly at: Date;
};

/** What publishing would do: start a promotion, answer with the one it already is, or be refused. */
export type PlanOutcome =
  | { readonly kind: 'new' }
  | {
      readonly kind: 'existing';
      readonly promotionId: string;
      /** Unknown once the promotion is past RETENTION (its version's record stays). */
      readonly status?: PromotionStatus;
      readonly environment?: string;
      readonly where?: string;
    }
  | {
      readonly kind: 'conflict';
      readonly promotionId: string;
      readonly digest: string;
      readonly message: string;
    }
  /** Asked by version alone and never published: there is nothing to promote until CI publishes it. */
  | { readonly kind: 'unpublished' };

export type EnvironmentPlan = {
  readonly name: string;
  readonly production: boolean;
  readonly deploy: StepOutline & { readonly strategy: RolloutStrategy };
  readonly tests: readonly (StepOutline & { readonly name: string })[];
  /** How long it stays after its tests pass before it moves on. */
  readonly soakMs?: number;
  /** How it moves on to the next environment (production is the last). */
  readonly promote?: 'auto' | 'manual';
  readonly gate?: {
    readonly approvers: readonly string[];
    readonly required: number;
    readonly allowSelfApproval: boolean;
    readonly expiresAfterMs: number;
  };
  readonly rollout?: { readonly steps: readonly RolloutStepPlan[]; readonly expectedMs: number };
  readonly monitor?: {
    readonly intervalMs: number;
    readonly failureLimit: number;
    readonly inconclusiveLimit: number;
    readonly metrics: readonly { readonly name: string; readonly min?: number; readonly max?: number }[];
  };
  /** Production's way back: its rollback step, or the previous artifact deployed again. */
  readonly rollback?: StepOutline | { readonly kind: 'redeploy-previous' };
  /** The holds on it (its own first, then the whole service's): the first is the one in force. */
  readonly holds: readonly Hold[];
  /** Its freeze windows open now (soonest end first) and the next openings within PLAN_FREEZE_HORIZON_MS. */
  readonly freezes: { readonly open: readonly FreezeOpening[]; readonly next: readonly FreezeOpening[] };
  readonly running?: RunningNow;
  /** What would keep the promotion out were it to arrive now: a hold, an open freeze window, then quarantine. */
  readonly blockedBy?: Hold;
};

export type PromotionPlan = PlannedArtifact & {
  readonly at: string;
  readonly outcome: PlanOutcome;
  /** Why the digest was rolled back: it stops before production unless an approver forces it. */
  readonly quarantine?: string;
  readonly environments: readonly EnvironmentPlan[];
  /** The first environment the restrictions in force now stop it before. */
  readonly stopsAt?: { readonly environment: string; readonly hold: Hold };
};

export type PlanResult =
  | { readonly kind: 'unknown-service'; readonly message: string }
  | { readonly kind: 'plan'; readonly plan: PromotionPlan };

export function planPromotion(input: PlanInput): PlanResult {
  const service = input.pipeline.services.get(input.artifact.service);
  if (!service)
    return {
      kind: 'unknown-service',
      message: unknownServiceRefusal(input.pipeline, input.artifact.service),
    };
  const at = input.at.toISOString();
  const outcome = outcomeOf(input, service);
  const { version, commit, url } = input.artifact;
  const digest = input.artifact.digest ?? input.published?.digest;
  const artifact: PlannedArtifact = {
    service: service.name,
    version,
    ...(digest === undefined ? {} : { digest }),
    ...(commit === undefined ? {} : { commit }),
    ...(url === undefined ? {} : { url }),
  };
  // What the entry rules see: the promotion it already is (forced or not), else the artifact as it would start.
  const existing = outcome.kind === 'existing' ? input.published?.promotion : undefined;
  const forcedBy = input.forcedBy ?? existing?.forcedBy;
  const candidate: Candidate = {
    artifact: { ...artifact, digest: digest ?? '' },
    ...(forcedBy ? { forcedBy } : {}),
  };
  const environments = service.environments.map((environment, index) =>
    planEnvironment(service, environment, index, { input, candidate, at }),
  );
  const quarantine = quarantineHold(
    candidate,
    service,
    productionIndex(service),
    input.restrictions.rolledBack,
    at,
  );
  const stopped = environments.find((environment) => environment.blockedBy);
  return {
    kind: 'plan',
    plan: {
      ...artifact,
      at,
      outcome,
      ...(quarantine && input.restrictions.rolledBack ? { quarantine: input.restrictions.rolledBack } : {}),
      environments,
      ...(stopped?.blockedBy ? { stopsAt: { environment: stopped.name, hold: stopped.blockedBy } } : {}),
    },
  };
}

function outcomeOf(input: PlanInput, service: Service): PlanOutcome {
  const { artifact, published } = input;
  if (!published) return artifact.digest === undefined ? { kind: 'unpublished' } : { kind: 'new' };
  if (artifact.digest !== undefined && artifact.digest !== published.digest) {
    const { digest, promotionId } = published;
    return { kind: 'conflict', promotionId, digest, message: immutableVersionRefusal(artifact, published) };
  }
  const { promotion } = published;
  if (!promotion) return { kind: 'existing', promotionId: published.promotionId };
  return {
    kind: 'existing',
    promotionId: published.promotionId,
    status: statusOf(promotion.phase),
    environment: environmentOf(promotion, service),
    where: phaseInWords(promotion.phase, service),
  };
}

function planEnvironment(
  service: Service,
  environment: Environment,
  index: number,
  context: { readonly input: PlanInput; readonly candidate: Candidate; readonly at: string },
): EnvironmentPlan {
  const { input, candidate, at } = context;
  const production = index === productionIndex(service);
  const running = input.running[index];
  const { soakMs } = environment;
  const blockedBy = entryRefusal(candidate, service, index, input.restrictions, at);
  return {
    name: environment.name,
    production,
    deploy: { ...outlineStep(environment.deploy), strategy: environment.deploy.strategy },
    tests: environment.tests.map((test) => ({ ...outlineStep(test), name: test.name })),
    ...(soakMs === undefined ? {} : { soakMs }),
    ...(production ? productionParts(service, environment, running) : { promote: environment.promote }),
    holds: holdsOn(input.restrictions.holds, environment.name),
    freezes: freezesOf(service, environment.name, input.at),
    ...(running ? { running } : {}),
    ...(blockedBy ? { blockedBy } : {}),
  };
}

function productionParts(
  service: Service,
  environment: Environment,
  running: RunningNow | undefined,
): Pick<EnvironmentPlan, 'gate' | 'rollout' | 'monitor' | 'rollback'> {
  const { approval, monitor } = environment;
  return {
    ...(approval
      ? {
          gate: {
            approvers: approval.approvers,
            required: approval.required,
            allowSelfApproval: approval.allowSelfApproval,
            expiresAfterMs: approval.expiresAfterMs,
          },
        }
      : {}),
    // Blue-green deploys the colour that is idle now.
    rollout: {
      steps: rolloutPlan(environment, idleColor(running?.color)),
      expectedMs: expectedRolloutMs(service),
    },
    ...(monitor
      ? {
          monitor: {
            intervalMs: monitor.intervalMs,
            failureLimit: monitor.failureLimit,
            inconclusiveLimit: monitor.inconclusiveLimit,
            metrics: monitor.metrics.map(({ name, min, max }) => ({
              name,
              ...(min === undefined ? {} : { min }),
              ...(max === undefined ? {} : { max }),
            })),
          },
        }
      : {}),
    rollback: environment.rollback ? outlineStep(environment.rollback) : { kind: 'redeploy-previous' },
  };
}

/** The holds that bear on `environment`, in the order `holdOn` picks the one in force. */
function holdsOn(holds: readonly Hold[], environment: string): Hold[] {
  return [
    ...holds.filter((hold) => hold.environment === environment),
    ...holds.filter((hold) => hold.environment === undefined),
  ];
}

function freezesOf(service: Service, environment: string, at: Date): EnvironmentPlan['freezes'] {
  const windows = (service.freezes ?? []).filter((window) => window.environments.includes(environment));
  const calendar = freezeCalendar(windows, at, PLAN_FREEZE_HORIZON_MS);
  const bare = ({ name, opensAt, endsAt }: FreezeOpening): FreezeOpening => ({ name, opensAt, endsAt });
  return { open: calendar.open.map(bare), next: calendar.next.map(bare) };
}

/**
 * The environment's soak, the one place a plan reads it. `soak` (issue 14, feature 2) adds `soakMs` to
 * `Environment`; until that lands this finds none, and once it does this reads it with no change here.
 */
