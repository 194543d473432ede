import { lazy, Suspense, useEffect } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { useAuth } from './auth';
import { useIdleLock } from './lib/idle';
import { SignIn } from './pages/SignIn';
import { Vault } from './pages/vault/Vault';
import { EditApplication } from './pages/EditApplication';
import { Profile } from './pages/profile/Profile';

// Loaded on first use: the QR decoder and the admin console are not needed to read codes.
const AddApplication = lazy(() => import('./pages/add/AddApplication').then((m) => ({ default: m.AddApplication })));
const AdminUsers = lazy(() => import('./pages/admin/Users').then((m) => ({ default: m.AdminUsers })));
const AdminSettings = lazy(() => import('./pages/admin/Settings').then((m) => ({ default: m.AdminSettings })));
const AdminAudit = lazy(() => import('./pages/admin/Audit').then((m) => ({ default: m.AdminAudit })));
import { Spinner } from './components/ui';
import { StepUpProvider } from './components/StepUp';
import { PolicyBanner, useEnrolmentRedirect } from './components/TwoFactorPolicy';

/** Applies the user's theme: `auto` follows the system through CSS. */
function useTheme(theme: string | undefined) {
  useEffect(() => {
    document.documentElement.dataset.theme = theme ?? 'auto';
  }, [theme]);
}

function Shell() {
  const { user, signOut, lock } = useAuth();
  const location = useLocation();
  const prefs = user!.preferences;
  useTheme(prefs.theme);
  useIdleLock(prefs.auto_lock_minutes, () => lock(`Locked after ${prefs.auto_lock_minutes} min without activity. Sign in to continue.`));
  const staff = user!.role === 'admin' || user!.role === 'auditor';
  useEnrolmentRedirect();

  // Move focus to the page heading on navigation, so screen readers announce the new page. A page
  // loaded on first use (add, admin) has no heading yet: it is focused when it arrives.
  useEffect(() => {
    const main = document.getElementById('main');
    const focusHeading = () => {
      const h1 = main?.querySelector<HTMLElement>('h1');
      h1?.focus();
      return !!h1;
    };
    if (!main || focusHeading()) return;
    const watch = new MutationObserver(() => focusHeading() && watch.disconnect());
    watch.observe(main, { childList: true, subtree: true });
    return () => watch.disconnect();
  }, [location.pathname]);

  return (
    <StepUpProvider>
      <div className="shell">
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <span className="brand" aria-label="AuthNode">
            <img src="/favicon.svg" alt="" width={24} height={24} /> AuthNode
          </span>
          <nav aria-label="Main">
            <NavLink to="/" end>
              Vault
            </NavLink>
            <NavLink to="/add">Add</NavLink>
            <NavLink to="/profile">Profile</NavLink>
            {user!.role === 'admin' && <NavLink to="/admin/users">Users</NavLink>}
            {user!.role === 'admin' && <NavLink to="/admin/settings">Settings</NavLink>}
            {staff && <NavLink to="/admin/audit">Audit</NavLink>}
          </nav>
          <div className="who">
            <span className="muted small" title={user!.email}>
              {user!.display_name || user!.username}
            </span>
            <button type="button" className="btn ghost" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        </header>
        <main id="main">
          <PolicyBanner />
          <Suspense fallback={<Spinner />}>
          <Routes>
            <Route path="/" element={<Vault />} />
            <Route path="/trash" element={<Vault trash />} />
            <Route path="/add" element={<AddApplication />} />
            <Route path="/applications/:id/edit" element={<EditApplication />} />
            <Route path="/profile/*" element={<Profile />} />
            {user!.role === 'admin' && <Route path="/admin/users" element={<AdminUsers />} />}
            {user!.role === 'admin' && <Route path="/admin/settings" element={<AdminSettings />} />}
            {staff && <Route path="/admin/audit" element={<AdminAudit />} />}
            <Route path="/login" element={<Navigate to="/" replace />} />
            <Route path="/register" element={<Navigate to="/" replace />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
          </Suspense>
        </main>
      </div>
    </StepUpProvider>
  );
}

function NotFound() {
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        <NavLink to="/">Back to the vault</NavLink>
      </p>
    </section>
  );
}

/** The whole UI: sign-in until there is a session, then the shell. */
export function App() {
  const { status } = useAuth();
  if (status === 'loading') {
    return (
      <div className="center-screen">
        <Spinner label="Loading AuthNode" />
      </div>
    );
  }
  if (status === 'signed-out') return <SignIn />;
  return <Shell />;
}
