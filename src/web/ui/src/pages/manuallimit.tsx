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

// "until <time> (<who set it>)", after a limit in force.
export function expiryText(limit: { expiresAt: string; setBy: string }): string {
  return `${t('until')} ${formatTime(limit.expiresAt)} (${limit.setBy})`;
}

// A datetime-local value (local time, minutes) some hours from now.
export function localInput(hoursAhead: number): string {
  const date = new Date(Date.now() + hoursAhead * 3600000);
  date.setMinutes(date.getMinutes() - date.getTimezoneOffset());
  return date.toISOString().slice(0, 16);
}

// The manual limit at `path` (a charger's or a group's): the one in force, and setting (the body built when the form is
// sent, with the expiry typed) or clearing it, each reloading what is shown.
export function useManualLimit<Limit>(path: string, bodyOf: (expiresAt: string) => object) {
  const current = useLoad(async () => (await get<{ manualLimit: Limit | null }>(path)).manualLimit, path);
  const [expires, setExpires] = useState(localInput(2));
  const action = useAction();
  const set = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await request('PUT', path, bodyOf(new Date(expires).toISOString()));
      current.reload();
      return t('saved');
    });
  };
  const clear = () => action.run(async () => {
    await request('DELETE', path);
    current.reload();
    return t('done');
  });
  return { current, expires, setExpires, action, set, clear };
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
  const [limitA, setLimitA] = useState('16');
  const { current, expires, setExpires, action, set, clear } = useManualLimit<ManualLimitRecord>(
    path, (expiresAt) => ({ limitA: Number(limitA), expiresAt }));
  const limit = current.data;
  return (
    <section class="card">
      <h2>{t('manualLimit')}</h2>
      <p data-manual-limit>
        {limit
          ? `${formatNumber(limit.limitA ?? limit.limitW ?? 0)} ${limit.limitA !== undefined ? 'A' : 'W'} ${expiryText(limit)}`
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
