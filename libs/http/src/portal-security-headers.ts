/**
 * The portal page's headers. It only talks to its own origin and runs nothing inline. Framing is
 * refused unless the operator lists the origins that may embed it (frame-ancestors; the legacy
 * X-Frame-Options cannot name origins, so it is sent only when framing is refused outright).
 */
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
