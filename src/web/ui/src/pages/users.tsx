// Accounts of the web app (admins only): add, change role or password, delete.
import { useState } from 'preact/hooks';
import { get, request, type Role, type User } from '../api';
import { Field, formatTime, Loading, Outcome, Select, Table, useAction, useLoad } from '../components';
import { t } from '../i18n';

const roles: Role[] = ['viewer', 'operator', 'admin'];
const roleOptions = (): Array<[string, string]> => roles.map((role) => [role, t(`role_${role}`)]);

function AddUser({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<string>('viewer');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await request('POST', '/users', { name, password, role });
      setName('');
      setPassword('');
      onAdded();
      return t('saved');
    });
  };
  return (
    <form class="card" onSubmit={submit}>
      <h2>{t('addUser')}</h2>
      <div class="filters">
        <Field label={t('userName')} value={name} onInput={setName} required maxLength={64} autocomplete="off" />
        <Field label={t('password')} type="password" value={password} onInput={setPassword} required minLength={10} maxLength={256} autocomplete="new-password" />
        <Select label={t('role')} value={role} options={roleOptions()} onChange={setRole} />
      </div>
      <button type="submit" disabled={action.busy}>{t('add')}</button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

function UserRow({ user, self, onChanged }: { user: User; self: boolean; onChanged: () => void }) {
  const [password, setPassword] = useState('');
  const action = useAction();
  const change = (body: { role?: string; password?: string }) => action.run(async () => {
    await request('PATCH', `/users/${encodeURIComponent(user.name)}`, body);
    setPassword('');
    onChanged();
    return t('saved');
  });
  const remove = () => {
    if (!window.confirm(`${t('confirmDelete')} ${user.name}?`)) return;
    void action.run(async () => {
      await request('DELETE', `/users/${encodeURIComponent(user.name)}`);
      onChanged();
    });
  };
  return (
    <tr>
      <td>{user.name}{self && ` (${t('you')})`}</td>
      <td><Select label={t('role')} value={user.role} options={roleOptions()} onChange={(role) => change({ role })} /></td>
      <td>
        <form class="inline" onSubmit={(event) => { event.preventDefault(); void change({ password }); }}>
          <Field label={t('newPassword')} type="password" value={password} onInput={setPassword} required minLength={10} maxLength={256} autocomplete="new-password" />
          <button type="submit" disabled={action.busy}>{t('setPassword')}</button>
        </form>
      </td>
      <td>{formatTime(user.createdAt)}</td>
      <td>
        <button type="button" class="danger" disabled={action.busy} onClick={remove}>{t('delete')}</button>
        <Outcome error={action.error} done={action.done} />
      </td>
    </tr>
  );
}

export function Users({ self }: { self: string }) {
  const list = useLoad(() => get<{ users: User[] }>('/users'), 'users');
  return (
    <>
      <h1>{t('users')}</h1>
      <AddUser onAdded={list.reload} />
      <Loading loaded={list}>
        {({ users }) => (
          <Table caption={t('users')}>
            <thead><tr><th>{t('userName')}</th><th>{t('role')}</th><th>{t('password')}</th><th>{t('created')}</th><th /></tr></thead>
            <tbody>
              {users.map((user) => <UserRow key={user.name} user={user} self={user.name === self} onChanged={list.reload} />)}
            </tbody>
          </Table>
        )}
      </Loading>
    </>
  );
}
