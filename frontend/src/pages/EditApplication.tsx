// Editing one account: every field, OTP parameters and (optionally) a new secret; below, its
// current secret and QR code for moving it to another device.
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys, vault, type AppBody, type Application } from '../api';
import { AppForm, type AppFormValues } from '../components/AppForm';
import { ErrorNote, Spinner, useToast } from '../components/ui';
import { ApplicationSecret } from './ApplicationSecret';

/** Only the fields that changed, so each change is its own precise event in the audit log. */
export function updateBody(before: Application, v: AppFormValues): AppBody {
  const body: AppBody = {};
  const keys = ['issuer', 'label', 'otp_type', 'algorithm', 'digits', 'period', 'counter', 'favorite'] as const;
  // Generic in the key, so that each field's value keeps its own type.
  const copyIfChanged = <K extends (typeof keys)[number]>(k: K) => {
    if (v[k] !== before[k]) body[k] = v[k];
  };
  keys.forEach(copyIfChanged);
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
  const id = useParams().id!; // the route is /applications/:id/edit
  const navigate = useNavigate();
  const qc = useQueryClient();
  const toast = useToast();
  const app = useQuery({ queryKey: queryKeys.application(id), queryFn: () => vault.get(id) });
  const save = useMutation({
    mutationFn: (body: AppBody) => vault.update(id, body),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: queryKeys.applications.all });
      qc.invalidateQueries({ queryKey: queryKeys.application(id) });
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
      {app.data && <ApplicationSecret key={app.data.id} app={app.data} />}
    </section>
  );
}
