// What an empty vault shows: the ways to add a first account.
import { Link } from 'react-router';

export function EmptyVault() {
  return (
    <div className="empty-state">
      <h2>Your vault is empty</h2>
      <p>Add the two-factor accounts of the sites you use. When a site offers “authenticator app” sign-in, it shows a QR code or a setup key:</p>
      <ol>
        <li>
          <strong>Scan or upload the QR code</strong> — or paste a screenshot of it.
        </li>
        <li>
          <strong>Paste the otpauth:// link</strong> if the site gives one.
        </li>
        <li>
          <strong>Type the setup key</strong> in the manual form.
        </li>
      </ol>
      <Link className="btn primary" to="/add">
        Add your first account
      </Link>
    </div>
  );
}
