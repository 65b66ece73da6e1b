// Events (newest first, live) and the OCPP message log of all charge points.
import { useState } from 'preact/hooks';
import { get, query, type EventRecord } from '../api';
import { Field, formatTime, Loading, Table, useLoad } from '../components';
import { t } from '../i18n';
import { useLive } from '../live';
import { MessageLog } from './chargepoints';

export function Events() {
  const [chargePoint, setChargePoint] = useState('');
  const [kind, setKind] = useState('');
  const path = `/events${query({ chargePoint, kind, limit: 200 })}`;
  const list = useLoad(() => get<{ events: EventRecord[] }>(path), path);
  useLive((event) => event === 'event' && list.reload(), list.reload);
  return (
    <>
      <h1>{t('events')}</h1>
      <div class="filters">
        <Field label={t('chargePoint')} value={chargePoint} onInput={setChargePoint} maxLength={100} />
        <Field label={t('kind')} value={kind} onInput={setKind} maxLength={100} />
      </div>
      <Loading loaded={list}>
        {({ events }) => (
          <Table caption={t('events')}>
            <thead><tr><th>{t('time')}</th><th>{t('chargePoint')}</th><th>{t('kind')}</th><th>{t('details')}</th></tr></thead>
            <tbody>
              {events.map((record) => (
                <tr key={record.id}>
                  <td>{formatTime(record.at)}</td>
                  <td>{record.chargePointId ?? '—'}</td>
                  <td>{record.kind}</td>
                  <td class="details">{typeof record.details === 'string' ? record.details : JSON.stringify(record.details)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Loading>
      <MessageLog />
    </>
  );
}
