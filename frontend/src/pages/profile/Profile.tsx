// The profile: account details, password, two-factor sign-in, sessions, preferences and one's own activity.
import { NavLink, Route, Routes } from 'react-router';
import { Account } from './Account';
import { Activity } from './Activity';
import { PreferencesForm } from './PreferencesForm';
import { Security } from './Security';
import { Sessions } from './Sessions';

export function Profile() {
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Profile</h1>
      </div>
      <nav className="subnav" aria-label="Profile sections">
        <NavLink to="/profile" end>
          Account
        </NavLink>
        <NavLink to="/profile/security">Security</NavLink>
        <NavLink to="/profile/sessions">Sessions</NavLink>
        <NavLink to="/profile/preferences">Preferences</NavLink>
        <NavLink to="/profile/activity">Activity</NavLink>
      </nav>
      <Routes>
        <Route index element={<Account />} />
        <Route path="security" element={<Security />} />
        <Route path="sessions" element={<Sessions />} />
        <Route path="preferences" element={<PreferencesForm />} />
        <Route path="activity" element={<Activity />} />
      </Routes>
    </section>
  );
}
