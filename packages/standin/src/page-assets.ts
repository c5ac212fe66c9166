// The page's static files (plain HTML, CSS and JavaScript modules: no build step), served from the package's page/
// folder, beside src/ and dist/ (so the same relative path finds it from both).
import { readFile } from 'node:fs/promises';

const ASSETS: ReadonlyMap<string, string> = new Map([
  ['index.html', 'text/html; charset=utf-8'],
  ['standin.css', 'text/css; charset=utf-8'],
  ['app.js', 'text/javascript; charset=utf-8'],
  ['blocks.js', 'text/javascript; charset=utf-8'],
  ['mrkdwn.js', 'text/javascript; charset=utf-8'],
  ['dialogs.js', 'text/javascript; charset=utf-8'],
  ['messages.js', 'text/javascript; charset=utf-8'],
  ['unread.js', 'text/javascript; charset=utf-8'],
]);

export const PAGE_ASSET_NAMES: readonly string[] = [...ASSETS.keys()];

/** The file and its content type, or undefined for a name that is not one of the page's files. */
export async function readPageAsset(
  name: string,
): Promise<{ readonly body: Buffer; readonly contentType: string } | undefined> {
  const contentType = ASSETS.get(name);
  if (!contentType) return undefined;
  const body = await readFile(new URL(`../page/${name}`, import.meta.url));
  return { body, contentType };
}
