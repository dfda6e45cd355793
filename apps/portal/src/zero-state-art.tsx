/** Herald's own zero-state drawing: an event leaving a source along a dashed path to an empty inbox. */
export function ZeroStateArt() {
  return (
    <svg class="zero-state__art" viewBox="0 0 200 120" width="200" height="120" aria-hidden="true" focusable="false">
      <rect x="8" y="36" width="52" height="48" rx="10" fill="#e8eaff" stroke="#3b3fb6" stroke-width="2" />
      <circle cx="34" cy="60" r="9" fill="#3b3fb6" />
      <path d="M60 60 C 90 20, 110 100, 140 60" fill="none" stroke="#9ea2ff" stroke-width="3" stroke-dasharray="6 6" />
      <path d="M98 52 l10 8 -10 8 z" fill="#3b3fb6" />
      <rect x="140" y="40" width="52" height="40" rx="8" fill="#ffffff" stroke="#5b6075" stroke-width="2" />
      <path d="M140 62 h14 l6 8 h12 l6 -8 h14" fill="none" stroke="#5b6075" stroke-width="2" />
      <circle cx="180" cy="30" r="4" fill="#d9dce6" />
      <circle cx="192" cy="20" r="2.5" fill="#d9dce6" />
    </svg>
  );
}
