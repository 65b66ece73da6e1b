// A manual current limit for one balanced charger, with an expiry (GET/PUT/DELETE /charge-points/{id}/manual-limit).
import { useState } from 'preact/hooks';
import { get, request, type SiteStatus } from '../api';
import { Field, formatNumber, formatTime, Outcome, useAction, useLoad } from '../components';
import { t } from '../i18n';

interface ManualLimitRecord {
  limitA?: number;
  limitW?: number;
  expiresAt: string;
  setBy: string;
}

// A datetime-local value (local time, minutes) some hours from now.
function localInput(hoursAhead: number): string {
  const date = new Date(Date.now() + hoursAhead * 3600000);
  date.setMinutes(date.getMinutes() - date.getTimezoneOffset());
  return date.toISOString().slice(0, 16);
}

interface Props {
  chargePointId: string;
  mayChange: boolean;
}

// Only a balanced charger has a manual limit: the section is left out for the others, without asking for a limit the
// server would refuse with 404 (an error in the browser's console).
export function ManualLimit(props: Props) {
  const site = useLoad(() => get<SiteStatus>('/site'), 'site');
  const balanced = site.data?.balancing?.some((charger) => charger.chargePointId === props.chargePointId) ?? false;
  return balanced ? <BalancedChargerLimit {...props} /> : null;
}

function BalancedChargerLimit({ chargePointId, mayChange }: Props) {
  const path = `/charge-points/${encodeURIComponent(chargePointId)}/manual-limit`;
  const current = useLoad(async () => (await get<{ manualLimit: ManualLimitRecord | null }>(path)).manualLimit, path);
  const [limitA, setLimitA] = useState('16');
  const [expires, setExpires] = useState(localInput(2));
  const action = useAction();
  const set = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await request('PUT', path, { limitA: Number(limitA), expiresAt: new Date(expires).toISOString() });
      current.reload();
      return t('saved');
    });
  };
  const clear = () => action.run(async () => {
    await request('DELETE', path);
    current.reload();
    return t('done');
  });
  const limit = current.data;
  return (
    <section class="card">
      <h2>{t('manualLimit')}</h2>
      <p data-manual-limit>
        {limit
          ? `${formatNumber(limit.limitA ?? limit.limitW ?? 0)} ${limit.limitA !== undefined ? 'A' : 'W'} ${t('until')} ${formatTime(limit.expiresAt)} (${limit.setBy})`
          : t('noManualLimit')}
      </p>
      {mayChange && (
        <form class="filters" onSubmit={set}>
          <Field label={t('limitA')} type="number" value={limitA} onInput={setLimitA} required />
          <Field label={t('expires')} type="datetime-local" value={expires} onInput={setExpires} required />
          <button type="submit" disabled={action.busy}>{t('setLimit')}</button>
          <button type="button" disabled={action.busy || !limit} onClick={clear}>{t('clearLimit')}</button>
        </form>
      )}
      <Outcome error={action.error ?? current.error} done={action.done} />
    </section>
  );
}
