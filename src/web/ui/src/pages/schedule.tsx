// A charge point's composite schedule (GetCompositeSchedule): the limits it will apply on a connector over the next
// period, as it computes them from every charging profile it holds, drawn as steps and listed as a table.
import { useMemo, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { request, type ChargePoint } from '../api';
import { Chart, palette } from '../chart';
import { Field, formatNumber, formatTime, Outcome, Select, Table, useAction } from '../components';
import { t } from '../i18n';

interface SchedulePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

// The charger's answer (OCPP 1.6 GetCompositeSchedule.conf).
interface CompositeSchedule {
  status: 'Accepted' | 'Rejected';
  connectorId?: number;
  scheduleStart?: string;
  chargingSchedule?: {
    duration?: number;
    startSchedule?: string;
    chargingRateUnit: 'A' | 'W';
    chargingSchedulePeriod: SchedulePeriod[];
    minChargingRate?: number;
  };
}

function StepChart({ schedule, duration }: { schedule: CompositeSchedule; duration: number }) {
  const chart = useMemo(() => {
    const plan = schedule.chargingSchedule!;
    const start = Date.parse(plan.startSchedule ?? schedule.scheduleStart ?? new Date().toISOString()) / 1000;
    const periods = plan.chargingSchedulePeriod;
    // One more point at the end, so that the last period shows as a step of its own length.
    const end = start + Math.max(plan.duration ?? duration, (periods[periods.length - 1]?.startPeriod ?? 0) + 1);
    const times = [...periods.map((period) => start + period.startPeriod), end];
    const limits = [...periods.map((period) => period.limit), periods[periods.length - 1]?.limit ?? 0];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      scales: { y: { range: (_, __, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{}, { values: (_, ticks) => ticks.map((tick) => `${formatNumber(tick)} ${plan.chargingRateUnit}`), size: 70 }],
      series: [{}, { label: t('limit'), stroke: palette[0], fill: `${palette[0]}33`, paths: uPlot.paths.stepped!({ align: 1 }) }],
      legend: { show: false },
    };
    return { options, data: [times, limits] as uPlot.AlignedData, start };
  }, [schedule, duration]);
  const plan = schedule.chargingSchedule!;
  return (
    <>
      <Chart options={chart.options} data={chart.data} label={t('chargingSchedule')} />
      <Table caption={t('chargingSchedule')}>
        <thead><tr><th>{t('periodStart')}</th><th>{t('limit')}</th><th>{t('phases')}</th></tr></thead>
        <tbody>
          {plan.chargingSchedulePeriod.map((period) => (
            <tr key={period.startPeriod}>
              <td>{formatTime(new Date((chart.start + period.startPeriod) * 1000).toISOString())}</td>
              <td>{formatNumber(period.limit)} {plan.chargingRateUnit}</td>
              <td>{period.numberPhases ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

export function ChargingSchedule({ chargePoint }: { chargePoint: ChargePoint }) {
  const connectorIds = chargePoint.connectors.map((connector) => connector.connectorId).filter((id) => id > 0);
  const [connectorId, setConnectorId] = useState(String(connectorIds[0] ?? 0));
  const [duration, setDuration] = useState('3600');
  const [unit, setUnit] = useState('');
  const [schedule, setSchedule] = useState<{ answer: CompositeSchedule; duration: number } | null>(null);
  const action = useAction();
  const ask = () => action.run(async () => {
    setSchedule(null);
    const seconds = Number(duration);
    const body = { connectorId: Number(connectorId), duration: seconds, ...(unit ? { chargingRateUnit: unit } : {}) };
    const result = await request<{ response: CompositeSchedule }>('POST',
      `/charge-points/${encodeURIComponent(chargePoint.id)}/commands/get-composite-schedule`, body);
    setSchedule({ answer: result.response, duration: seconds });
    return result.response.chargingSchedule ? '' : `${t('chargerAnswered')}: ${result.response.status}`;
  });
  const periods = schedule?.answer.chargingSchedule?.chargingSchedulePeriod.length ?? 0;
  return (
    <section class="card" data-schedule-periods={schedule ? periods : undefined}>
      <h2>{t('chargingSchedule')}</h2>
      <p class="muted">{t('chargingScheduleHelp')}</p>
      <div class="inline">
        <Select label={t('connector')} value={connectorId} onChange={setConnectorId}
          options={[['0', t('wholeChargePoint')], ...connectorIds.map((id): [string, string] => [String(id), String(id)])]} />
        <Field label={t('durationSeconds')} type="number" value={duration} onInput={setDuration} />
        <Select label={t('rateUnit')} value={unit} onChange={setUnit}
          options={[['', t('chargersChoice')], ['A', 'A'], ['W', 'W']]} />
        <button type="button" disabled={action.busy || !chargePoint.connected || !(Number(duration) > 0)} onClick={ask}>
          {t('askSchedule')}
        </button>
      </div>
      <Outcome error={action.error} done={action.done} />
      {schedule?.answer.chargingSchedule && <StepChart schedule={schedule.answer} duration={schedule.duration} />}
    </section>
  );
}
