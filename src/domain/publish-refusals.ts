// Why a publish is refused, in the words both a publish and its dry run use.
import type { Pipeline } from './pipeline.js';

/** `unknown service "x" (known: a, b)`. */
export function unknownServiceRefusal(pipeline: Pipeline, name: string): string {
  return `unknown service "${name}" (known: ${[...pipeline.services.keys()].join(', ') || 'none'})`;
}

/** A version names one digest for ever: publishing it with another is refused. */
export function immutableVersionRefusal(
  artifact: { readonly service: string; readonly version: string },
  published: { readonly digest: string; readonly promotionId: string },
): string {
  return `${artifact.service} ${artifact.version} was already published with digest ${published.digest} (promotion ${published.promotionId}); versions are immutable: publish a new version`;
}

/** A version whose promotion retention removed: nothing is left to promote, and its digest stays its own. */
export function removedVersionRefusal(
  artifact: { readonly service: string; readonly version: string },
  removed: { readonly digest: string; readonly promotionId: string },
): string {
  return `${artifact.service} ${artifact.version} was promoted long ago (promotion ${removed.promotionId}) and removed after the retention period; it keeps its digest ${removed.digest}: publish a new version`;
}
