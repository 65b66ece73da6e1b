// The RFID whitelist: add, edit, delete, and CSV export and import.
import { useState } from 'preact/hooks';
import { can, get, request, type Role, type WhitelistEntry } from '../api';
import { Field, formatTime, Loading, Outcome, Select, Table, useAction, useLoad } from '../components';
import { t } from '../i18n';

const statuses = ['Accepted', 'Blocked', 'Expired', 'Invalid'];

function EntryForm({ entry, onSaved, onCancel }: { entry?: WhitelistEntry; onSaved: () => void; onCancel?: () => void }) {
  const [idTag, setIdTag] = useState(entry?.idTag ?? '');
  const [status, setStatus] = useState(entry?.status ?? 'Accepted');
  const [expiry, setExpiry] = useState(entry?.expiryDate?.slice(0, 10) ?? '');
  const [parent, setParent] = useState(entry?.parentIdTag ?? '');
  const [note, setNote] = useState(entry?.note ?? '');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    // The tag is the address; the body holds the other fields.
    const body: Omit<WhitelistEntry, 'idTag'> = { status };
    if (expiry) body.expiryDate = new Date(`${expiry}T23:59:59`).toISOString();
    if (parent) body.parentIdTag = parent;
    if (note) body.note = note;
    void action.run(async () => {
      await request('PUT', `/whitelist/${encodeURIComponent(idTag)}`, body);
      if (!entry) {
        setIdTag('');
        setExpiry('');
        setParent('');
        setNote('');
      }
      onSaved();
      return t('saved');
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-label={entry ? `${t('edit')} ${entry.idTag}` : t('addTag')}>
      <h2>{entry ? `${t('edit')} ${entry.idTag}` : t('addTag')}</h2>
      <div class="filters">
        {!entry && <Field label={t('idTag')} name="idTag" value={idTag} onInput={setIdTag} required maxLength={20} />}
        <Select label={t('status')} value={status} options={statuses.map((s): [string, string] => [s, s])} onChange={setStatus} />
        <Field label={t('expiry')} type="date" value={expiry} onInput={setExpiry} />
        <Field label={t('parentIdTag')} value={parent} onInput={setParent} maxLength={20} />
        <Field label={t('note')} value={note} onInput={setNote} maxLength={200} />
      </div>
      <button type="submit" disabled={action.busy}>{t('save')}</button>
      {onCancel && <button type="button" onClick={onCancel}>{t('cancel')}</button>}
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

function Import({ onImported }: { onImported: () => void }) {
  const [mode, setMode] = useState('merge');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    const file = ((event.target as HTMLFormElement).elements.namedItem('csv') as HTMLInputElement).files?.[0];
    if (!file) return;
    void action.run(async () => {
      await request('POST', `/whitelist/import?mode=${mode}`, await file.text(), 'text/csv');
      onImported();
      return t('imported');
    });
  };
  return (
    <form class="card" onSubmit={submit}>
      <h2>{t('importCsv')}</h2>
      <div class="filters">
        <label class="field"><span>{t('csvFile')}</span><input type="file" name="csv" accept=".csv,text/csv" required /></label>
        <Select label={t('importMode')} value={mode} options={[['merge', t('merge')], ['replace', t('replace')]]} onChange={setMode} />
      </div>
      <button type="submit" disabled={action.busy}>{t('import')}</button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

export function Whitelist({ role }: { role: Role }) {
  const list = useLoad(() => get<{ whitelist: WhitelistEntry[] }>('/whitelist'), 'whitelist');
  const [editing, setEditing] = useState<string | null>(null);
  const action = useAction();
  const mayEdit = can(role, 'operator');
  const remove = (idTag: string) => {
    if (!window.confirm(`${t('confirmDelete')} ${idTag}?`)) return;
    void action.run(async () => {
      await request('DELETE', `/whitelist/${encodeURIComponent(idTag)}`);
      list.reload();
    });
  };
  return (
    <>
      <h1>{t('whitelist')}</h1>
      <p><a class="button" href="/api/v1/whitelist?format=csv" download="whitelist.csv">{t('exportCsv')}</a></p>
      {mayEdit && <EntryForm onSaved={list.reload} />}
      <Outcome error={action.error} done="" />
      <Loading loaded={list}>
        {({ whitelist }) => (
          <Table caption={t('whitelist')}>
            <thead><tr><th>{t('idTag')}</th><th>{t('status')}</th><th>{t('expiry')}</th><th>{t('parentIdTag')}</th><th>{t('note')}</th>{mayEdit && <th />}</tr></thead>
            <tbody>
              {whitelist.map((entry) => (editing === entry.idTag ? (
                <tr key={entry.idTag}><td colSpan={6}>
                  <EntryForm entry={entry} onSaved={() => { setEditing(null); list.reload(); }} onCancel={() => setEditing(null)} />
                </td></tr>
              ) : (
                <tr key={entry.idTag} data-id-tag={entry.idTag}>
                  <td>{entry.idTag}</td>
                  <td>{entry.status ?? 'Accepted'}</td>
                  <td>{entry.expiryDate ? formatTime(entry.expiryDate) : '—'}</td>
                  <td>{entry.parentIdTag ?? '—'}</td>
                  <td>{entry.note ?? ''}</td>
                  {mayEdit && (
                    <td class="actions">
                      <button type="button" onClick={() => setEditing(entry.idTag)}>{t('edit')}</button>
                      <button type="button" class="danger" disabled={action.busy} onClick={() => remove(entry.idTag)}>{t('delete')}</button>
                    </td>
                  )}
                </tr>
              )))}
            </tbody>
          </Table>
        )}
      </Loading>
      {mayEdit && <Import onImported={list.reload} />}
    </>
  );
}
