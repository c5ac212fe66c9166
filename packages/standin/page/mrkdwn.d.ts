// Types of mrkdwn.js (browser code without a build step), for the tests that import it.
export type MrkdwnContext = { readonly userName?: (id: string) => string | undefined };
export function escapeHtml(text: unknown): string;
export function renderPlain(text: unknown, emoji?: boolean): string;
export function renderMrkdwn(text: unknown, ctx?: MrkdwnContext): string;
