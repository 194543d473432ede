// The head of every card: badge, issuer and account name.
import type { Application } from '../../api';
import { Badge } from './Badge';

/** Badge, issuer and account name: the head of every card. */
export function Names({ app }: { app: Application }) {
  return (
    <>
      <Badge app={app} />
      <div className="app-names">
        <span className="issuer">{app.issuer || '—'}</span>
        <span className="label muted">{app.label}</span>
      </div>
    </>
  );
}
