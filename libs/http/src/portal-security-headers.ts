// Framing only by listed origins; X-Frame-Options cannot name origins, so it is sent only when none are.
export function portalSecurityHeaders(frameAncestors: readonly string[]): Record<string, string> {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  return {
    'content-security-policy':
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; " +
      `base-uri 'none'; form-action 'self'; frame-ancestors ${ancestors}`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(frameAncestors.length > 0 ? {} : { 'x-frame-options': 'DENY' }),
    'cache-control': 'no-cache',
  };
}
