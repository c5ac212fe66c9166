// views.open, views.push, views.update and views.publish.
import type { Payload } from '../types.js';
import { checkView } from '../validation.js';
import { failure, type MethodContext, type MethodHandler, rejected, stringArg } from './context.js';

export const open: MethodHandler = (args, context) => {
  const triggerId = stringArg(args, 'trigger_id');
  if (!triggerId) return failure('invalid_arguments', ['missing required field: trigger_id']);
  const trigger = context.views.useTrigger(triggerId);
  if (trigger !== 'ok') return failure(trigger);
  const checked = checkedView(args.view, 'modal', context);
  if ('error' in checked) return checked.error;
  const userId = context.views.userOfTrigger(triggerId);
  const stored = context.views.open(checked.view, { triggerId, ...(userId ? { userId } : {}) });
  return { ok: true, view: stored.view };
};

export const update: MethodHandler = (args, context) => {
  const viewId = stringArg(args, 'view_id');
  const externalId = stringArg(args, 'external_id');
  if (!viewId && !externalId) return failure('invalid_arguments', ['missing required field: view_id']);
  const previous = context.views.find(viewId, externalId);
  if (!previous) return failure('not_found');
  const hash = stringArg(args, 'hash');
  if (hash !== undefined && hash !== previous.view.hash) return failure('hash_conflict');
  const checked = checkedView(args.view, previous.type, context);
  if ('error' in checked) return checked.error;
  return { ok: true, view: context.views.update(previous, checked.view).view };
};

export const publish: MethodHandler = (args, context) => {
  const userId = stringArg(args, 'user_id');
  if (!userId) return failure('invalid_arguments', ['missing required field: user_id']);
  if (!context.directory.user(userId)) return failure('user_not_found');
  const checked = checkedView(args.view, 'home', context);
  if ('error' in checked) return checked.error;
  const previous = context.views.home(userId);
  const hash = stringArg(args, 'hash');
  if (previous && hash !== undefined && hash !== previous.view.hash) return failure('hash_conflict');
  const stored = previous
    ? context.views.update(previous, checked.view)
    : context.views.open(checked.view, { userId });
  return { ok: true, view: stored.view };
};

function checkedView(
  view: unknown,
  type: 'modal' | 'home',
  context: MethodContext,
): { view: Payload } | { error: Payload } {
  const check = checkView(view, type);
  if (!check.ok) return { error: rejected(context, check) };
  return typeof view === 'object' && view !== null ? { view } : { error: failure('invalid_arguments') };
}
