// Editing one account: every field, OTP parameters and (optionally) a new secret.
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Application } from '../api';
import { AppForm, type AppFormValues } from '../components/AppForm';
import { ErrorNote, Spinner, useToast } from '../components/ui';

/** Only the fields that changed, so each change is its own precise event in the audit log. */
export function updateBody(before: Application, v: AppFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const keys = ['issuer', 'label', 'otp_type', 'algorithm', 'digits', 'period', 'counter', 'favorite'] as const;
  for (const k of keys) if (v[k] !== before[k]) body[k] = v[k];
  if (v.secret) body.secret = v.secret;
  if (v.tags.join('\u0000') !== before.tags.join('\u0000')) body.tags = v.tags;
  if (v.notes !== (before.notes ?? '')) body.notes = v.notes;
  if (v.icon !== (before.icon ?? '')) body.icon = v.icon;
  if (v.color !== (before.color ?? '')) body.color = v.color;
  if (v.otp_type === 'steam') {
    delete body.digits;
    delete body.algorithm;
  }
  return body;
}

export function EditApplication() {
  const { id } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const app = useQuery({ queryKey: ['application', id], queryFn: () => api<{ application: Application }>(`/applications/${id}`).then((r) => r.application) });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<{ application: Application }>(`/applications/${id}`, { method: 'PATCH', body }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['applications'] });
      qc.invalidateQueries({ queryKey: ['application', id] });
      toast('Saved');
      navigate('/');
    },
  });
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Edit {app.data ? app.data.issuer || app.data.label : 'account'}</h1>
      </div>
      {app.isPending && <Spinner />}
      <ErrorNote error={app.error} />
      {app.data && (
        <div className="card panel">
          <AppForm
            initial={app.data}
            requireSecret={false}
            submitLabel="Save"
            busy={save.isPending}
            error={save.error}
            onSubmit={(v) => {
              const body = updateBody(app.data, v);
              if (Object.keys(body).length === 0) navigate('/');
              else save.mutate(body);
            }}
          />
        </div>
      )}
    </section>
  );
}
