// The LinkRay web app: first-run setup, login, and the pages behind a session.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { beginSession, can, endSession, get, request, setUnauthorizedHandler, type Session } from './api';
import { ErrorNote, useAction, Field } from './components';
import { language, languages, setLanguage, t, type Language } from './i18n';
import { live, useLiveState } from './live';
import { ChargePointDetail, ChargePointList } from './pages/chargepoints';
import { Dashboard } from './pages/dashboard';
import { Events } from './pages/events';
import { Graphs } from './pages/graphs';
import { Settings } from './pages/settings';
import { System } from './pages/system';
import { Transactions } from './pages/transactions';
import { Users } from './pages/users';
import { Whitelist } from './pages/whitelist';
import { href, useRoute } from './route';

type AuthState = { kind: 'checking' } | { kind: 'setup' } | { kind: 'login' } | { kind: 'in'; session: Session };

function SignIn({ firstRun, onSession }: { firstRun: boolean; onSession: (session: Session) => void }) {
  const [name, setName] = useState(firstRun ? 'admin' : '');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    if (firstRun && password !== repeated) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    void action.run(async () => {
      onSession(await request<Session>('POST', firstRun ? '/setup' : '/session', { name, password }));
    });
  };
  return (
    <main class="signin">
      <h1>LinkRay</h1>
      <form onSubmit={submit} class="card">
        <h2>{firstRun ? t('setupTitle') : t('loginTitle')}</h2>
        {firstRun && <p>{t('setupIntro')}</p>}
        <Field label={t('userName')} name="name" value={name} onInput={setName} required maxLength={64} autocomplete="username" />
        <Field label={t('password')} name="password" type="password" value={password} onInput={setPassword} required
          minLength={firstRun ? 10 : undefined} maxLength={256} autocomplete={firstRun ? 'new-password' : 'current-password'} />
        {firstRun && (
          <Field label={t('repeatPassword')} name="repeat" type="password" value={repeated} onInput={setRepeated} required
            autocomplete="new-password" />
        )}
        {mismatch && <p class="error" role="alert">{t('passwordsDiffer')}</p>}
        <ErrorNote error={action.error} />
        <button type="submit" disabled={action.busy}>
          {firstRun ? t('createAdmin') : t('logIn')}
        </button>
      </form>
      <LanguageSwitch />
    </main>
  );
}

function LanguageSwitch() {
  const [current, setCurrent] = useState(language());
  return (
    <label class="language">
      <span class="visually-hidden">{t('language')}</span>
      <select value={current} onChange={(event) => {
        const chosen = (event.target as HTMLSelectElement).value as Language;
        setLanguage(chosen);
        setCurrent(chosen);
      }}>
        {languages.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
      </select>
    </label>
  );
}

interface Page {
  path: string;
  label: () => string;
  role: 'viewer' | 'admin';
}

const pages: Page[] = [
  { path: '', label: () => t('dashboard'), role: 'viewer' },
  { path: 'charge-points', label: () => t('chargePoints'), role: 'viewer' },
  { path: 'transactions', label: () => t('transactions'), role: 'viewer' },
  { path: 'graphs', label: () => t('graphs'), role: 'viewer' },
  { path: 'whitelist', label: () => t('whitelist'), role: 'viewer' },
  { path: 'users', label: () => t('users'), role: 'admin' },
  { path: 'events', label: () => t('events'), role: 'viewer' },
  { path: 'system', label: () => t('system'), role: 'viewer' },
  { path: 'settings', label: () => t('settings'), role: 'admin' },
];

function PageFor({ route, session }: { route: string[]; session: Session }) {
  const role = session.user.role;
  switch (route[0] ?? '') {
    case '':
      return <Dashboard role={role} />;
    case 'charge-points':
      return route[1] ? <ChargePointDetail id={route[1]} role={role} /> : <ChargePointList />;
    case 'transactions':
      return <Transactions />;
    case 'graphs':
      return <Graphs />;
    case 'whitelist':
      return <Whitelist role={role} />;
    case 'users':
      return can(role, 'admin') ? <Users self={session.user.name} /> : <p>{t('forbidden')}</p>;
    case 'events':
      return <Events />;
    case 'system':
      return <System />;
    case 'settings':
      return can(role, 'admin') ? <Settings /> : <p>{t('forbidden')}</p>;
    default:
      return <p>{t('pageNotFound')}</p>;
  }
}

function Shell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const route = useRoute();
  const liveState = useLiveState();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    live.start();
    return () => live.stop();
  }, []);
  useEffect(() => setMenuOpen(false), [route[0]]);
  const logout = async () => {
    await endSession();
    onLogout();
  };
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">LinkRay</a>
        <button type="button" class="menu-toggle" aria-expanded={menuOpen} aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}>
          {t('menu')}
        </button>
        <nav id="nav" class={menuOpen ? 'open' : ''} aria-label={t('mainNavigation')}>
          {pages.filter((page) => can(session.user.role, page.role)).map((page) => (
            <a key={page.path} href={page.path ? href(page.path) : '#/'}
              aria-current={(route[0] ?? '') === page.path ? 'page' : undefined}>
              {page.label()}
            </a>
          ))}
        </nav>
        <div class="account">
          <span class={`live live-${liveState}`} title={t(`live_${liveState}`)}>{t(`live_${liveState}`)}</span>
          <span class="user">{session.user.name} <span class="role">({t(`role_${session.user.role}`)})</span></span>
          <LanguageSwitch />
          <button type="button" onClick={logout}>{t('logOut')}</button>
        </div>
      </header>
      <main class="page">
        <PageFor route={route} session={session} />
      </main>
    </>
  );
}

function App() {
  const [auth, setAuth] = useState<AuthState>({ kind: 'checking' });
  const [, setRenderedLanguage] = useState(language());
  const [error, setError] = useState<unknown>(undefined);
  const signIn = (session: Session) => {
    beginSession(session.csrfToken);
    setAuth({ kind: 'in', session });
  };
  const check = async () => {
    try {
      const setup = await get<{ required: boolean }>('/setup');
      if (setup.required) return setAuth({ kind: 'setup' });
      const current = await get<Session | { session: null }>('/session');
      if ('user' in current) signIn(current);
      else setAuth({ kind: 'login' });
    } catch (reason) {
      setError(reason);
    }
  };
  useEffect(() => {
    setUnauthorizedHandler(() => setAuth({ kind: 'login' }));
    document.addEventListener('linkray-language', () => setRenderedLanguage(language()));
    void check();
  }, []);
  if (error) return <main class="signin"><ErrorNote error={error} /></main>;
  switch (auth.kind) {
    case 'checking':
      return <main class="signin"><p>{t('loading')}</p></main>;
    case 'setup':
      return <SignIn firstRun onSession={signIn} />;
    case 'login':
      return <SignIn firstRun={false} onSession={signIn} />;
    case 'in':
      return <Shell key={language()} session={auth.session} onLogout={() => setAuth({ kind: 'login' })} />;
  }
}

render(<App />, document.getElementById('app')!);
