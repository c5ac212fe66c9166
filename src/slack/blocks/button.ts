import type { Button } from '@slack/types';
import { truncate } from './text.js';

export type ConfirmDialog = {
  readonly title: string;
  /** Truncated to Slack's 300 characters. */
  readonly text: string;
  readonly yes: string;
  readonly no: string;
};

export type ButtonSpec = {
  readonly actionId: string;
  readonly value: string;
  readonly label: string;
  readonly style?: 'primary' | 'danger';
  /** Slack's own "are you sure?" dialog before the click is sent. */
  readonly confirm?: ConfirmDialog;
};

/** A Block Kit button; a danger button's confirm dialog is a danger one too. */
export function button({ actionId, value, label, style, confirm }: ButtonSpec): Button {
  return {
    type: 'button',
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
    text: { type: 'plain_text', text: label, emoji: true },
    ...(confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: confirm.title },
            text: { type: 'plain_text', text: truncate(confirm.text, 300) },
            confirm: { type: 'plain_text', text: confirm.yes },
            deny: { type: 'plain_text', text: confirm.no },
            ...(style === 'danger' ? { style: 'danger' as const } : {}),
          },
        }
      : {}),
  };
}
