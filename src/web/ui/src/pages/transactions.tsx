// Transactions, live and historic, filtered by charger, tag and start date, with a CSV export of the same filter.
import { useState } from 'preact/hooks';
import { get, query, type Transaction } from '../api';
import { Field, formatEnergy, formatTime, Loading, Table, useLoad } from '../components';
import { t } from '../i18n';
import { useLive } from '../live';
import { href } from '../route';

// A date input's day (local time) as the RFC 3339 instant the API filters on.
function dayStart(day: string, offsetDays = 0): string | undefined {
  if (!day) return undefined;
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date + offsetDays).toISOString();
}

export function Transactions() {
  const [chargePoint, setChargePoint] = useState('');
  const [idTag, setIdTag] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filter = { chargePoint, idTag, from: dayStart(from), to: dayStart(to, 1) };
  const list = useLoad(() => get<{ transactions: Transaction[] }>(`/transactions${query({ ...filter, limit: 200 })}`),
    JSON.stringify(filter));
  useLive((event, data) => {
    if (event !== 'transaction') return;
    const changed = data as Transaction;
    if (!list.data?.transactions.some((transaction) => transaction.id === changed.id)) return list.reload();
    list.setData((previous) => previous && {
      transactions: previous.transactions.map((transaction) => (transaction.id === changed.id ? changed : transaction)),
    });
  }, list.reload);
  return (
    <>
      <h1>{t('transactions')}</h1>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <Field label={t('chargePoint')} value={chargePoint} onInput={setChargePoint} maxLength={100} />
        <Field label={t('idTag')} value={idTag} onInput={setIdTag} maxLength={100} />
        <Field label={t('fromDay')} type="date" value={from} onInput={setFrom} />
        <Field label={t('toDay')} type="date" value={to} onInput={setTo} />
        <a class="button" href={`/api/v1/transactions${query({ ...filter, limit: 1000, format: 'csv' })}`} download="transactions.csv">
          {t('exportCsv')}
        </a>
      </form>
      <Loading loaded={list}>
        {({ transactions }) => (
          <Table caption={t('transactions')}>
            <thead>
              <tr><th>{t('id')}</th><th>{t('chargePoint')}</th><th>{t('connector')}</th><th>{t('idTag')}</th><th>{t('started')}</th><th>{t('stopped')}</th><th>{t('energy')}</th><th>{t('stopReason')}</th></tr>
            </thead>
            <tbody>
              {transactions.length === 0 && <tr><td colSpan={8} class="muted">{t('noTransactions')}</td></tr>}
              {transactions.map((transaction) => (
                <tr key={transaction.id} class={transaction.active ? 'active' : ''}>
                  <td>{transaction.id}</td>
                  <td><a href={href('charge-points', transaction.chargePointId)}>{transaction.chargePointId}</a></td>
                  <td>{transaction.connectorId}</td>
                  <td>{transaction.idTag}</td>
                  <td>{formatTime(transaction.startedAt)}</td>
                  <td>{transaction.active ? <strong>{t('charging')}</strong> : formatTime(transaction.stoppedAt)}</td>
                  <td>{formatEnergy(transaction.energyWh)}</td>
                  <td>{transaction.stopReason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Loading>
    </>
  );
}
