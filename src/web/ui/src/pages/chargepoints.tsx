// Charge points: the list, and one charge point's connectors, commands, configuration keys and message log.
import { useState } from 'preact/hooks';
import { can, get, query, request, type ChargePoint, type MessageRecord, type Role, type Transaction } from '../api';
import { Field, formatTime, Loading, Outcome, Select, Table, useAction, useLoad } from '../components';
import { t } from '../i18n';
import { useLive } from '../live';
import { href } from '../route';
import { connectorSummary, limitText, mergeChargePoint, useChargePointsLive } from './dashboard';
import { ManualLimit } from './manuallimit';
import { ChargingSchedule } from './schedule';

export function ChargePointList() {
  const list = useLoad(() => get<{ chargePoints: ChargePoint[] }>('/charge-points'), 'charge-points');
  useChargePointsLive(list, (data, changed) => ({ chargePoints: mergeChargePoint(data.chargePoints, changed) }));
  return (
    <>
      <h1>{t('chargePoints')}</h1>
      <Loading loaded={list}>
        {({ chargePoints }) => (
          <Table caption={t('chargePoints')}>
            <thead>
              <tr><th>{t('id')}</th><th>{t('state')}</th><th>{t('model')}</th><th>{t('limit')}</th><th>{t('lastSeen')}</th></tr>
            </thead>
            <tbody>
              {chargePoints.map((chargePoint) => (
                <tr key={chargePoint.id}>
                  <td><a href={href('charge-points', chargePoint.id)}>{chargePoint.id}</a></td>
                  <td>{connectorSummary(chargePoint)}</td>
                  <td>{[chargePoint.vendor, chargePoint.model].filter(Boolean).join(' ') || '—'}</td>
                  <td>{limitText(chargePoint)}</td>
                  <td>{formatTime(chargePoint.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Loading>
    </>
  );
}

interface CommandResult {
  response: Record<string, unknown>;
}

function sendCommand(id: string, action: string, body: unknown = {}): Promise<CommandResult> {
  return request<CommandResult>('POST', `/charge-points/${encodeURIComponent(id)}/commands/${action}`, body);
}

function resultText(result: CommandResult): string {
  const status = result.response.status;
  return typeof status === 'string' ? `${t('chargerAnswered')}: ${status}` : t('done');
}

function Commands({ chargePoint, active }: { chargePoint: ChargePoint; active: Transaction[] }) {
  const connectorIds = chargePoint.connectors.map((c) => c.connectorId).filter((id) => id > 0);
  const [connectorId, setConnectorId] = useState(String(connectorIds[0] ?? 0));
  const [idTag, setIdTag] = useState('');
  const [resetType, setResetType] = useState('Soft');
  const [availability, setAvailability] = useState('Operative');
  const [trigger, setTrigger] = useState('StatusNotification');
  const action = useAction();
  const run = (name: string, body?: unknown) => action.run(async () => resultText(await sendCommand(chargePoint.id, name, body)));
  const connectorOptions: Array<[string, string]> = [['0', t('wholeChargePoint')], ...connectorIds.map((id): [string, string] => [String(id), String(id)])];
  const disabled = action.busy || !chargePoint.connected;
  return (
    <section class="card">
      <h2>{t('commands')}</h2>
      {!chargePoint.connected && <p class="muted">{t('commandsNeedConnection')}</p>}
      <Select label={t('connector')} value={connectorId} options={connectorOptions} onChange={setConnectorId} />
      <div class="row">
        <Field label={t('idTag')} value={idTag} onInput={setIdTag} maxLength={20} />
        <button type="button" disabled={disabled || !idTag}
          onClick={() => run('remote-start', { idTag, connectorId: Math.max(1, Number(connectorId)) })}>
          {t('remoteStart')}
        </button>
      </div>
      {active.map((transaction) => (
        <div class="row" key={transaction.id}>
          <span>{t('transaction')} {transaction.id} ({transaction.idTag}, {t('connector')} {transaction.connectorId})</span>
          <button type="button" disabled={disabled} onClick={() => run('remote-stop', { transactionId: transaction.chargerTransactionId ?? transaction.id })}>
            {t('remoteStop')}
          </button>
        </div>
      ))}
      <div class="row">
        <Select label={t('resetType')} value={resetType} options={[['Soft', t('soft')], ['Hard', t('hard')]]} onChange={setResetType} />
        <button type="button" disabled={disabled} onClick={() => run('reset', { type: resetType })}>{t('reset')}</button>
      </div>
      <div class="row">
        <button type="button" disabled={disabled || connectorId === '0'}
          onClick={() => run('unlock', { connectorId: Number(connectorId) })}>{t('unlock')}</button>
      </div>
      <div class="row">
        <Select label={t('availability')} value={availability}
          options={[['Operative', t('operative')], ['Inoperative', t('inoperative')]]} onChange={setAvailability} />
        <button type="button" disabled={disabled}
          onClick={() => run('change-availability', { connectorId: Number(connectorId), type: availability })}>
          {t('changeAvailability')}
        </button>
      </div>
      <div class="row">
        <Select label={t('message')} value={trigger} onChange={setTrigger}
          options={['StatusNotification', 'BootNotification', 'Heartbeat', 'MeterValues'].map((name): [string, string] => [name, name])} />
        <button type="button" disabled={disabled}
          onClick={() => run('trigger-message', connectorId === '0' ? { requestedMessage: trigger }
            : { requestedMessage: trigger, connectorId: Number(connectorId) })}>
          {t('trigger')}
        </button>
      </div>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

interface ConfigurationKey {
  key: string;
  readonly: boolean;
  value?: string;
}

function Configuration({ chargePoint, mayChange }: { chargePoint: ChargePoint; mayChange: boolean }) {
  const [keys, setKeys] = useState<ConfigurationKey[] | null>(null);
  const [edited, setEdited] = useState<Record<string, string>>({});
  const action = useAction();
  const fetchKeys = () => action.run(async () => {
    const result = await sendCommand(chargePoint.id, 'get-configuration', {});
    setKeys((result.response.configurationKey as ConfigurationKey[] | undefined) ?? []);
    setEdited({});
  });
  const change = (key: string) => action.run(async () => resultText(
    await sendCommand(chargePoint.id, 'change-configuration', { key, value: edited[key] ?? '' })));
  return (
    <section class="card">
      <h2>{t('configuration')}</h2>
      <button type="button" disabled={action.busy || !chargePoint.connected || !mayChange} onClick={fetchKeys}>
        {t('readConfiguration')}
      </button>
      <Outcome error={action.error} done={action.done} />
      {keys && (
        <Table caption={t('configuration')}>
          <thead><tr><th>{t('key')}</th><th>{t('value')}</th><th /></tr></thead>
          <tbody>
            {keys.map((entry) => (
              <tr key={entry.key}>
                <td>{entry.key}</td>
                <td>
                  {entry.readonly ? entry.value ?? '' : (
                    <input aria-label={entry.key} value={edited[entry.key] ?? entry.value ?? ''} maxLength={500}
                      onInput={(event) => setEdited({ ...edited, [entry.key]: (event.target as HTMLInputElement).value })} />
                  )}
                </td>
                <td>
                  {!entry.readonly && (
                    <button type="button" disabled={action.busy || edited[entry.key] === undefined}
                      onClick={() => change(entry.key)}>{t('save')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

export function MessageLog({ chargePointId }: { chargePointId?: string }) {
  const [action, setAction] = useState('');
  const log = useLoad(() => get<{ messages: MessageRecord[] }>(`/message-log${query({ chargePoint: chargePointId, action, limit: 100 })}`),
    `${chargePointId}/${action}`);
  useLive(() => {}, log.reload);
  return (
    <section class="card">
      <h2>{t('messageLog')}</h2>
      <Field label={t('action')} value={action} onInput={setAction} maxLength={100} />
      <Loading loaded={log}>
        {({ messages }) => (
          <Table caption={t('messageLog')}>
            <thead><tr><th>{t('time')}</th><th>{t('chargePoint')}</th><th>{t('direction')}</th><th>{t('action')}</th><th>{t('bytes')}</th></tr></thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id}>
                  <td>{formatTime(message.at)}</td>
                  <td>{message.chargePointId}</td>
                  <td>{message.direction}</td>
                  <td>{message.action ?? message.messageType}</td>
                  <td>{message.sizeBytes}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Loading>
    </section>
  );
}

export function ChargePointDetail({ id, role }: { id: string; role: Role }) {
  const path = `/charge-points/${encodeURIComponent(id)}`;
  const loaded = useLoad(() => get<ChargePoint>(path), path);
  useChargePointsLive(loaded, (data, changed) => (changed.id === data.id ? changed : data));
  const active = useLoad(() => get<{ transactions: Transaction[] }>(`/transactions${query({ chargePoint: id, limit: 20 })}`), `tx/${id}`);
  useLive((event, data) => {
    if (event === 'transaction' && (data as Transaction).chargePointId === id) active.reload();
  }, active.reload);
  const activeTransactions = (active.data?.transactions ?? []).filter((transaction) => transaction.active);
  return (
    <>
      <p><a href={href('charge-points')}>← {t('chargePoints')}</a></p>
      <h1>{id}</h1>
      <Loading loaded={loaded}>
        {(chargePoint) => (
          <>
            <section class="card">
              <dl class="facts">
                <dt>{t('state')}</dt><dd>{chargePoint.connected ? t('connected') : t('disconnected')}</dd>
                <dt>{t('model')}</dt><dd>{[chargePoint.vendor, chargePoint.model].filter(Boolean).join(' ') || '—'}</dd>
                <dt>{t('firmware')}</dt><dd>{chargePoint.firmwareVersion ?? '—'}</dd>
                <dt>{t('limit')}</dt><dd>{limitText(chargePoint)}</dd>
                <dt>{t('lastBoot')}</dt><dd>{formatTime(chargePoint.lastBootAt)}</dd>
                <dt>{t('lastSeen')}</dt><dd>{formatTime(chargePoint.lastSeenAt)}</dd>
              </dl>
              <Table caption={t('connectors')}>
                <thead><tr><th>{t('connector')}</th><th>{t('status')}</th><th>{t('error')}</th><th>{t('updated')}</th></tr></thead>
                <tbody>
                  {chargePoint.connectors.map((connector) => (
                    <tr key={connector.connectorId}>
                      <td>{connector.connectorId}</td>
                      <td data-connector-status={connector.connectorId}>{connector.status}</td>
                      <td>{connector.errorCode ?? '—'}</td>
                      <td>{formatTime(connector.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </section>
            {can(role, 'operator') && <Commands chargePoint={chargePoint} active={activeTransactions} />}
            <ManualLimit chargePointId={chargePoint.id} mayChange={can(role, 'operator')} />
            <Configuration chargePoint={chargePoint} mayChange={can(role, 'operator')} />
            {can(role, 'operator') && <ChargingSchedule chargePoint={chargePoint} />}
          </>
        )}
      </Loading>
      <MessageLog chargePointId={id} />
    </>
  );
}
