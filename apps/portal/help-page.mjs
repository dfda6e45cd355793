// Renders Herald's README into the portal build as help.html, so the portal's help link works offline
// on any deployment. markdown-it (CommonMark + tables) with GitHub's heading slugs (github-slugger),
// so README anchors such as #admin-portal land where they do on GitHub.
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';

const escape = (text) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** help.html: the README's markdown inside the portal's index.html (`shell`); links to repository files become text. */
export function renderHelpPage(markdown, shell) {
  const slugger = new GithubSlugger();
  const md = new MarkdownIt({ html: false, linkify: false }).use(anchor, { slugify: (s) => slugger.slug(s) });
  const inRepository = (href) => !/^(#|https?:|mailto:)/.test(href);
  // Repository files (docs/…, libs/…) are not served next to the portal: keep their text, drop the link.
  md.renderer.rules.link_open = (tokens, i, options, env, self) => {
    const href = tokens[i].attrGet('href') ?? '';
    if (!inRepository(href)) return self.renderToken(tokens, i, options);
    tokens[i].meta = { dropped: true };
    const close = tokens.slice(i).find((t) => t.type === 'link_close');
    if (close) close.meta = { dropped: true };
    return '<span class="help__file">';
  };
  md.renderer.rules.link_close = (tokens, i, options, env, self) =>
    tokens[i].meta?.dropped ? '</span>' : self.renderToken(tokens, i, options);
  md.renderer.rules.image = (tokens, i) => `<em class="help__file">[${escape(tokens[i].content)}]</em>`;
  const body = md.render(markdown);
  // The portal's own page, without its script: same head, styles and favicon.
  return shell
    .replace(/<title>[^<]*<\/title>/, '<title>Help · Herald</title>')
    .replace(/\s*<script[^>]*><\/script>/, '')
    .replace(
      /<body>[\s\S]*<\/body>/,
      () =>
        `<body>\n    <main class="page help">\n      <p><a href="/admin/">← Back to the webhooks</a></p>\n${body}    </main>\n  </body>`,
    );
}
