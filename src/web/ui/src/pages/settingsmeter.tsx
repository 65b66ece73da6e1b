// Settings: the site meter (the config's meter section) and a test read of the settings on screen, before saving.
import { useState } from 'preact/hooks';
import { request } from '../api';
import { formatNumber, Outcome, Table, useAction } from '../components';
import { t } from '../i18n';
import {
  ChoiceSetting, FormSection, JsonEditor, NumberSetting, TextSetting, useDraft, valueAt, withDefault, type JsonObject,
} from './settingsfields';

// The answer of POST /api/v1/meter/test-read (docs/api.md); null where the meter gives no value.
interface MeterReading {
  voltageV: Array<number | null>;
  currentA: Array<number | null>;
  powerW: Array<number | null>;
  totalPowerW: number | null;
  importedWh: number | null;
  exportedWh: number | null;
  at: string;
}

const builtInModels = ['abb-b2x', 'carlo-gavazzi-em24', 'eastron-sdm630', 'eastron-sdm72', 'schneider-iem3000', 'sunspec-meter', 'custom'];
const types = ['none', 'modbus-tcp', 'modbus-rtu', 'http-json'];
// The values an http-json meter can give, as named in meter.values.
const quantities = ['voltageL1', 'voltageL2', 'voltageL3', 'currentL1', 'currentL2', 'currentL3', 'powerL1', 'powerL2',
  'powerL3', 'totalPower', 'importedEnergy', 'exportedEnergy'];

function ReadingTable({ reading }: { reading: MeterReading }) {
  const shown = (value: number | null, unit: string) => (value === null ? '—' : `${formatNumber(value, 2)} ${unit}`);
  return (
    <div data-meter-reading>
      <Table caption={t('testRead')}>
        <thead><tr><th /><th>L1</th><th>L2</th><th>L3</th></tr></thead>
        <tbody>
          {([['voltage', reading.voltageV, 'V'], ['current', reading.currentA, 'A'], ['power', reading.powerW, 'W']] as const)
            .map(([key, values, unit]) => (
              <tr key={key}>
                <th>{t(key)}</th>
                {values.map((value, phase) => <td key={phase}>{shown(value, unit)}</td>)}
              </tr>
            ))}
        </tbody>
      </Table>
      <dl class="facts">
        <dt>{t('totalPower')}</dt><dd data-total-power>{shown(reading.totalPowerW, 'W')}</dd>
        <dt>{t('importedEnergy')}</dt><dd>{shown(reading.importedWh, 'Wh')}</dd>
        <dt>{t('exportedEnergy')}</dt><dd>{shown(reading.exportedWh, 'Wh')}</dd>
      </dl>
    </div>
  );
}

function TestRead({ onRefused }: { onRefused: (error: unknown) => void }) {
  const draft = useDraft();
  const [reading, setReading] = useState<MeterReading | null>(null);
  const action = useAction();
  const read = () => action.run(async () => {
    setReading(null);
    try {
      const answer = await request<{ reading: MeterReading }>('POST', '/meter/test-read', valueAt(draft.config, 'meter') ?? {});
      setReading(answer.reading);
    } catch (error) {
      onRefused(error);
      throw error;
    }
  });
  return (
    <section class="card">
      <h2>{t('testRead')}</h2>
      <p class="muted">{t('testReadHelp')}</p>
      <button type="button" disabled={action.busy} onClick={read}>{action.busy ? t('reading') : t('testRead')}</button>
      <Outcome error={action.error} done={action.done} />
      {reading && <ReadingTable reading={reading} />}
    </section>
  );
}

export function MeterSettings({ onRefused }: { onRefused: (error: unknown) => void }) {
  const draft = useDraft();
  const type = String(valueAt(draft.config, 'meter.type') ?? 'none');
  const model = String(valueAt(draft.config, 'meter.model') ?? '');
  // Keys of another type are refused by the server, so a new type keeps only what every type shares.
  const changeType = (chosen: string) => {
    const meter = (valueAt(draft.config, 'meter') ?? {}) as JsonObject;
    const kept: JsonObject = { type: chosen };
    for (const key of ['pollIntervalSeconds', 'staleAfterPolls']) if (meter[key] !== undefined) kept[key] = meter[key];
    draft.set('meter', chosen === 'none' ? { type: 'none' } : kept);
  };
  const changeModel = (chosen: string) => {
    draft.set('meter.registerMap', undefined);
    draft.set('meter.baseAddress', undefined);
    draft.set('meter.model', chosen === '' ? undefined : chosen);
  };
  const modbus = type === 'modbus-tcp' || type === 'modbus-rtu';
  return (
    <>
      <FormSection title={t('meter')}>
        <ChoiceSetting path="meter.type" label={t('meterType')} options={types.map((value): [string, string] => [value, value])}
          onChange={changeType} />
        {modbus && (
          <ChoiceSetting path="meter.model" label={t('meterModel')} onChange={changeModel}
            options={[['', '—'], ...builtInModels.map((value): [string, string] => [value, value])]} />
        )}
        {modbus && model === 'sunspec-meter' && <NumberSetting path="meter.baseAddress" label={t('baseAddress')} placeholder="40069" />}
        {type === 'modbus-tcp' && (
          <>
            <TextSetting path="meter.host" label={t('host')} />
            <NumberSetting path="meter.port" label={t('port')} placeholder="502" />
          </>
        )}
        {type === 'modbus-rtu' && (
          <>
            <TextSetting path="meter.serialPort" label={t('serialPort')} placeholder="/dev/ttyUSB0" />
            <NumberSetting path="meter.baudRate" label={t('baudRate')} placeholder="9600" />
            <ChoiceSetting path="meter.parity" label={t('parity')} options={withDefault('none', ['none', 'even', 'odd'])} />
            <ChoiceSetting path="meter.dataBits" label={t('dataBits')} options={withDefault('8', ['7', '8'])}
              onChange={(chosen) => draft.set('meter.dataBits', chosen === '' ? undefined : Number(chosen))} />
            <ChoiceSetting path="meter.stopBits" label={t('stopBits')} options={withDefault('1', ['1', '2'])}
              onChange={(chosen) => draft.set('meter.stopBits', chosen === '' ? undefined : Number(chosen))} />
          </>
        )}
        {modbus && <NumberSetting path="meter.unitId" label={t('unitId')} placeholder="1" />}
        {type === 'http-json' && (
          <>
            <TextSetting path="meter.url" label={t('url')} placeholder="http://192.168.1.60/rpc/EM.GetStatus?id=0" />
            <TextSetting path="meter.username" label={t('userName')} />
            <TextSetting path="meter.password" label={t('password')} type="password" />
            <NumberSetting path="meter.timeoutSeconds" label={t('timeoutSeconds')} />
          </>
        )}
        {type !== 'none' && (
          <>
            <NumberSetting path="meter.pollIntervalSeconds" label={t('pollIntervalSeconds')} placeholder="1" />
            <NumberSetting path="meter.staleAfterPolls" label={t('staleAfterPolls')} placeholder="3" />
          </>
        )}
      </FormSection>
      {modbus && model === 'custom' && (
        <section class="card">
          <JsonEditor label={t('registerMap')} rows={12} value={valueAt(draft.config, 'meter.registerMap')}
            error={draft.errors['meter.registerMap']} onChange={(map) => draft.set('meter.registerMap', map)} />
        </section>
      )}
      {type === 'http-json' && (
        <FormSection title={t('meterValues')}>
          {quantities.map((quantity) => (
            <div key={quantity}>
              <TextSetting path={`meter.values.${quantity}.pointer`} label={`${quantity}: ${t('jsonPointer')}`} />
              <NumberSetting path={`meter.values.${quantity}.scale`} label={`${quantity}: ${t('scale')}`} placeholder="1" />
            </div>
          ))}
        </FormSection>
      )}
      {type !== 'none' && <TestRead onRefused={onRefused} />}
    </>
  );
}
