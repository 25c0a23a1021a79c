import { useEnforcement } from '../enforcement-state.js';
import { bannerLevel, stageLabel } from '../lib/enforcement.js';

/**
 * The page-wide warning: servers at stage 2 (a quiet status-bar warning) or 3 (an obtrusive one),
 * and servers whose features enforcement has switched off. Visible in every view.
 */
export function EnforcementBanner({ onOpen }: { onOpen(): void }) {
  const { servers } = useEnforcement();
  const flagged = (servers ?? [])
    .flatMap((s) =>
      s.enforcementStatus
        ? [{ server: s, status: s.enforcementStatus, level: bannerLevel(s.enforcementStatus) }]
        : [],
    )
    .filter((f) => f.level !== 'none');
  if (flagged.length === 0) return null;
  const worst = flagged.some((f) => f.level === 'disabled')
    ? 'disabled'
    : flagged.some((f) => f.level === 'obtrusive')
      ? 'obtrusive'
      : 'warning';
  return (
    <div
      class={`banner banner-${worst}`}
      role={worst === 'warning' ? 'status' : 'alert'}
      data-testid="enforcement-banner"
    >
      <p>
        <strong>
          {worst === 'disabled'
            ? 'Enforcement has limited a server.'
            : 'A server has not checked in with the cloud.'}
        </strong>{' '}
        {flagged.map((f, i) => (
          <span key={f.server.id}>
            {i > 0 ? '; ' : ''}
            {f.server.name}: stage {f.status.stage} ({stageLabel(f.status.stage)})
          </span>
        ))}
        . A successful check-in returns a server to stage 1.
      </p>
      <button type="button" class="ghost" onClick={onOpen}>
        Show enforcement
      </button>
    </div>
  );
}
