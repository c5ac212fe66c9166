// Open modals and published home tabs, plus the trigger ids the fake hands out: like Slack's, valid 3 s and usable
// once; an id the fake did not issue is `invalid_trigger_id`.
import type { Payload, StoredView } from './types.js';

const TRIGGER_TTL_MS = 3000;

export type ViewStore = ReturnType<typeof createViewStore>;

export type TriggerCheck = 'ok' | 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id';

export function createViewStore(options: { teamId: string }) {
  const views = new Map<string, StoredView>();
  const triggers = new Map<string, { expiresAt: number; used: boolean; userId?: string }>();
  let counter = 0;

  function render(id: string, view: Payload, previous?: StoredView): Payload {
    return {
      id,
      team_id: options.teamId,
      type: view.type,
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${(++counter).toString(16).padStart(8, '0')}`,
      title: view.title ?? null,
      close: view.close ?? null,
      submit: view.submit ?? null,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      external_id: view.external_id ?? '',
      previous_view_id: null,
      root_view_id: previous?.view.root_view_id ?? id,
      app_id: 'A0PROMOTION',
      app_installed_team_id: options.teamId,
      bot_id: 'BBOT',
    };
  }

  return {
    /** A trigger id; a modal opened with it belongs to `userId` (the person who clicked or typed). */
    issueTrigger(userId?: string): string {
      const id = `${Date.now()}.${++counter}.${Math.random().toString(16).slice(2, 18)}`;
      triggers.set(id, {
        expiresAt: Date.now() + TRIGGER_TTL_MS,
        used: false,
        ...(userId ? { userId } : {}),
      });
      return id;
    },
    userOfTrigger(id: string): string | undefined {
      return triggers.get(id)?.userId;
    },
    useTrigger(id: string): TriggerCheck {
      const trigger = triggers.get(id);
      if (!trigger) return 'invalid_trigger_id';
      if (trigger.used) return 'exchanged_trigger_id';
      if (Date.now() > trigger.expiresAt) return 'expired_trigger_id';
      trigger.used = true;
      return 'ok';
    },
    open(view: Payload, details: { triggerId?: string; userId?: string }): StoredView {
      const id = `V${String(++counter).padStart(10, '0')}`;
      const stored: StoredView = { id, type: view.type, view: render(id, view), updates: 0, ...details };
      views.set(id, stored);
      return stored;
    },
    find(viewId?: string, externalId?: string): StoredView | undefined {
      if (viewId) return views.get(viewId);
      return [...views.values()].find((v) => externalId && v.view.external_id === externalId);
    },
    update(previous: StoredView, view: Payload): StoredView {
      const stored = {
        ...previous,
        view: render(previous.id, view, previous),
        updates: previous.updates + 1,
      };
      views.set(previous.id, stored);
      return stored;
    },
    home(userId: string): StoredView | undefined {
      return [...views.values()].find((v) => v.type === 'home' && v.userId === userId);
    },
    all(): StoredView[] {
      return [...views.values()];
    },
    clear(): void {
      views.clear();
      triggers.clear();
    },
  };
}
