// The groups (circuits) of the site on the dashboard, each with its manual limit: the one in force with its expiry,
// and for operators a form to set one per phase with an expiry or clear it (GET/PUT/DELETE /groups/{id}/manual-limit).
import { useState } from 'preact/hooks';
import { type SiteGroup } from '../api';
import { Field, formatNumber, Outcome } from '../components';
import { t } from '../i18n';
import { expiryText, useManualLimit } from './manuallimit';

interface GroupLimitRecord {
  phaseCurrentsA: number[];
  expiresAt: string;
  setBy: string;
}

const phaseText = (currents: number[]) => `${currents.map((value) => formatNumber(value)).join(' / ')} A`;

export function GroupLimits({ groups, mayChange }: { groups: SiteGroup[]; mayChange: boolean }) {
  if (!groups.length) return null;
  return (
    <section class="card">
      <h2>{t('groupLimits')}</h2>
      {groups.map((group) => <GroupLimit key={group.id} group={group} mayChange={mayChange} />)}
    </section>
  );
}

function GroupLimit({ group, mayChange }: { group: SiteGroup; mayChange: boolean }) {
  const path = `/groups/${encodeURIComponent(group.id)}/manual-limit`;
  const [phases, setPhases] = useState(group.phaseLimitA.map(String));
  const setPhase = (index: number, value: string) => setPhases(phases.map((old, i) => (i === index ? value : old)));
  const { current, expires, setExpires, action, set, clear } = useManualLimit<GroupLimitRecord>(
    path, (expiresAt) => ({ phaseCurrentsA: phases.map(Number), expiresAt }));
  const limit = current.data;
  return (
    <div class="group-limit" data-group={group.id}>
      <h3>{group.id}{group.parent && <span class="muted"> ({t('parentGroup')}: {group.parent})</span>}</h3>
      <p>{t('configuredLimit')}: {phaseText(group.phaseLimitA)}</p>
      <p data-group-limit>
        {limit ? `${t('manualLimit')}: ${phaseText(limit.phaseCurrentsA)} ${expiryText(limit)}` : t('noManualLimit')}
      </p>
      {mayChange && (
        <form class="filters" onSubmit={set} aria-label={`${t('manualLimit')} ${group.id}`}>
          {phases.map((value, index) => (
            <Field key={index} label={`L${index + 1} (A)`} type="number" value={value}
              onInput={(typed) => setPhase(index, typed)} required />
          ))}
          <Field label={t('expires')} type="datetime-local" value={expires} onInput={setExpires} required />
          <button type="submit" disabled={action.busy}>{t('setLimit')}</button>
          <button type="button" disabled={action.busy || !limit} onClick={clear}>{t('clearLimit')}</button>
        </form>
      )}
      <Outcome error={action.error ?? current.error} done={action.done} />
    </div>
  );
}
