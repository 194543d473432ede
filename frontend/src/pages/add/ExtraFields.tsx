// Tags and favourite, for the ways of adding that start from a link (paste, image, camera).
import { parseTags } from '../../components/AppForm';
import { Field } from '../../components/ui';

export interface Extra {
  tags?: string[];
  favorite?: boolean;
}

export function ExtraFields({ value, onChange }: { value: Extra; onChange: (e: Extra) => void }) {
  return (
    <div className="grid2">
      <Field label="Tags (optional)" hint="Separated by commas or spaces">
        {(p) => <input {...p} name="extra-tags" onChange={(e) => onChange({ ...value, tags: parseTags(e.target.value) })} />}
      </Field>
      <label className="check">
        <input type="checkbox" checked={value.favorite ?? false} onChange={(e) => onChange({ ...value, favorite: e.target.checked })} /> Favourite
      </label>
    </div>
  );
}
