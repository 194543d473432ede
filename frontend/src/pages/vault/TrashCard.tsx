// One account in the trash: restore it, or delete it for good after a confirmation.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { friendlyError, queryKeys, vault, type Application } from '../../api';
import { formatWhen } from '../../lib/format';
import { Confirm, useToast } from '../../components/ui';
import { Names } from './Names';

export function TrashCard({ app }: { app: Application }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [confirm, setConfirm] = useState(false);
  const name = app.issuer || app.label;
  const restore = useMutation({
    mutationFn: () => vault.restore(app.id),
    onSuccess: () => {
      toast(`${name} restored`);
      qc.invalidateQueries({ queryKey: queryKeys.applications.all });
    },
    onError: (e) => toast(friendlyError(e)),
  });
  const purge = useMutation({
    mutationFn: () => vault.purge(app.id),
    onSuccess: () => {
      setConfirm(false);
      toast(`${name} deleted for good`);
      qc.invalidateQueries({ queryKey: queryKeys.applications.all });
    },
  });
  return (
    <li className="card app-card trashed" data-testid="app-card" data-app-id={app.id}>
      <div className="app-head">
        <Names app={app} />
      </div>
      <p className="muted small">Trashed {formatWhen(app.trashed_at)}</p>
      <div className="actions">
        <button type="button" className="btn" onClick={() => restore.mutate()} aria-label={`Restore ${name}`}>
          Restore
        </button>
        <button type="button" className="btn danger" onClick={() => setConfirm(true)} aria-label={`Delete for good: ${name}`}>
          Delete for good
        </button>
      </div>
      <Confirm
        open={confirm}
        title={`Delete ${name} for good?`}
        body={<p>The secret is destroyed and cannot be recovered. The audit log keeps the record that it existed.</p>}
        confirmLabel="Delete for good"
        danger
        busy={purge.isPending}
        error={purge.error}
        onConfirm={() => purge.mutate()}
        onClose={() => setConfirm(false)}
      />
    </li>
  );
}
