// An application's coloured initials.
import type { Application } from '../../api';
import { colorFor, initials, textColorOn } from '../../lib/format';

export function Badge({ app }: { app: Application }) {
  const bg = app.color || colorFor(app.issuer || app.label);
  return (
    <span className="badge" style={{ background: bg, color: textColorOn(bg) }} aria-hidden="true">
      {initials(app.issuer, app.label)}
    </span>
  );
}
