import type { App } from '@slack/bolt';
import { parseCommand } from '../../domain/parse-command.js';
import { renderCommandReply, renderRefusal } from '../blocks/render-command-reply.js';
import { renderPlan } from '../blocks/render-plan.js';
import { renderPromotionsList } from '../blocks/render-promotions-list.js';
import { renderRollbackConfirm } from '../blocks/render-rollback-confirm.js';
import { renderUsage } from '../blocks/render-usage.js';
import { createRespond, type Respond } from '../respond.js';
import type { SlackDeps } from '../slack-deps.js';

export const COMMANDS = ['/promote', '/hold', '/unhold', '/rollback', '/promotions'] as const;

/** Slash commands: ack at once, parse, ask the engine, answer. Problems are ephemeral; actions are shown in channel. */
export function registerCommands(app: App, deps: SlackDeps): void {
  const catalog = new Map(
    [...deps.pipeline.services.values()].map(
      (service) => [service.name, service.environments.map((e) => e.name)] as const,
    ),
  );
  const services = [...catalog.keys()];

  app.command(/^\/(promote|hold|unhold|rollback|promotions)$/, async ({ command, ack }) => {
    await ack();
    const respond = createRespond(command.response_url);
    const parsed = parseCommand(command.command, command.text, catalog);
    if (!parsed.ok) {
      deps.log.info(
        { command: command.command, user: command.user_id, problem: parsed.problem },
        'slash command refused',
      );
      await respond({
        response_type: 'ephemeral',
        text: renderUsage(command.command, services, parsed.problem),
      });
      return;
    }
    const user = { user: command.user_id };
    const request = parsed.command;
    switch (request.name) {
      case 'promotions': {
        const names = request.service ? [request.service] : services;
        const [lists, problems] = await Promise.all([
          Promise.all(names.map((name) => deps.promotions.list(name, 10))),
          deps.delivery.problems(),
        ]);
        await respond({
          response_type: 'ephemeral',
          ...renderPromotionsList(lists.flat(), deps.pipeline.services, problems),
        });
        return;
      }
      case 'promote':
        if (request.dryRun) {
          // Changes nothing, so anyone may ask; the answer is private.
          const planned = await deps.commands.planPromote(request.service, request.version, {
            ...user,
            ...(request.force ? { force: true } : {}),
          });
          if (!planned.ok) return answer(respond, planned, user.user);
          await respond({ response_type: 'ephemeral', ...renderPlan(planned.plan) });
          return;
        }
        return answer(
          respond,
          await deps.commands.promote(request.service, request.version, {
            ...user,
            ...(request.to ? { to: request.to } : {}),
            ...(request.force ? { force: true } : {}),
          }),
          user.user,
        );
      case 'hold':
        return answer(
          respond,
          await deps.commands.hold(request.service, request.environment, request.reason, {
            ...user,
            ...(request.forMs === undefined ? {} : { forMs: request.forMs }),
          }),
          user.user,
        );
      case 'unhold':
        return answer(
          respond,
          await deps.commands.unhold(request.service, request.environment, user),
          user.user,
        );
      case 'rollback': {
        // Only asks: the rollback happens on Confirm, so a repeated or replayed command asks again, harmlessly.
        const asked = await deps.commands.askRollback(request.service, request.environment, user);
        if (!asked.ok) return answer(respond, asked, user.user);
        await respond({ response_type: 'ephemeral', ...renderRollbackConfirm(asked.plan, request.reason) });
        return;
      }
    }
  });
}

async function answer(
  respond: Respond,
  result: { ok: true; message: string } | { ok: false; reason: string },
  by: string,
): Promise<void> {
  if (result.ok) {
    await respond({ response_type: 'in_channel', ...renderCommandReply(by, result.message) });
    return;
  }
  await respond({ response_type: 'ephemeral', text: renderRefusal(result.reason) });
}
