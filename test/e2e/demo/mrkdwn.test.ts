import { renderMrkdwn, renderPlain } from '@promotion-bot/standin/page/mrkdwn.js';
import { describe, expect, it } from 'vitest';

// The stand-in page's mrkdwn: Slack's formatting as HTML, and nothing a message says ever becomes markup.

const names = { userName: (id: string) => (id === 'U0DEMO' ? 'You' : undefined) };

describe("the stand-in's mrkdwn", () => {
  it('formats bold, italic, strike and inline code', () => {
    expect(renderMrkdwn('*bold* _italic_ ~gone~ `a < b`')).toBe(
      '<strong>bold</strong> <em>italic</em> <s>gone</s> <code>a &lt; b</code>',
    );
  });

  it('leaves snake_case words and lone stars alone', () => {
    expect(renderMrkdwn('deploy_to_prod 2 * 3')).toBe('deploy_to_prod 2 * 3');
  });

  it('shows code blocks verbatim, decoding the entities Slack asks apps to send', () => {
    expect(renderMrkdwn('```\nif a &lt; b &amp;&amp; *c*\n```')).toBe(
      '<pre class="code-block">if a &lt; b &amp;&amp; *c*\n</pre>',
    );
  });

  it('links web addresses only, with their label', () => {
    expect(renderMrkdwn('<https://ci.test/b?x=1&amp;y=2|the build>')).toBe(
      '<a href="https://ci.test/b?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">the build</a>',
    );
    expect(renderMrkdwn('<javascript:alert(1)|click>')).toBe('&lt;javascript:alert(1)|click&gt;');
  });

  it('names mentioned people, groups and channels', () => {
    expect(renderMrkdwn('<@U0DEMO> <@U0ELSE> <!subteam^S0REL> <#C0DEPLOYS|deploys> <!here>', names)).toBe(
      '<span class="mention">@You</span> <span class="mention">@U0ELSE</span> <span class="mention">@S0REL</span> <span class="mention">#deploys</span> <span class="mention">@here</span>',
    );
  });

  it('shows markup in a message as text', () => {
    expect(renderMrkdwn('<img src=x onerror="alert(1)"> &lt;script&gt;alert(2)&lt;/script&gt;')).toBe(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &lt;script&gt;alert(2)&lt;/script&gt;',
    );
    expect(renderPlain('<b>"quoted"</b>')).toBe('&lt;b&gt;&quot;quoted&quot;&lt;/b&gt;');
  });

  it('draws common emoji as badges and keeps the others as their names', () => {
    expect(renderMrkdwn(':white_check_mark: done :some_custom_emoji:')).toBe(
      '<span class="emoji box green" title=":white_check_mark:" role="img" aria-label="white check mark">✔</span> done :some_custom_emoji:',
    );
  });

  it('shows dates in the reader’s time, never the raw token', () => {
    const html = renderMrkdwn('<!date^1700000000^{date_short} {time}|2023-11-14 22:13 UTC>');
    expect(html).not.toContain('!date');
    expect(html).toMatch(/\d/);
  });

  it('writes a date as Slack does: today, yesterday or the day, then the time on a 24-hour clock', () => {
    const now = Math.floor(Date.now() / 1000);
    const date = (seconds: number) =>
      renderMrkdwn(`<!date^${seconds}^{date_short_pretty} at {time}|2023-11-14 at 22:13 UTC>`);

    expect(date(now)).toMatch(/^today at \d{2}:\d{2}$/);
    expect(date(now - 86_400)).toMatch(/^yesterday at \d{2}:\d{2}$/);
    expect(date(1_700_000_000)).toMatch(/^Nov 1[45], 2023 at \d{2}:\d{2}$/);
  });

  it('quotes lines starting with >', () => {
    expect(renderMrkdwn('&gt; quoted\nplain')).toBe('<span class="quote">quoted</span><br>plain');
  });
});
