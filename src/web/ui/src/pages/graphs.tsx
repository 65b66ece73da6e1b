// Day-by-day graphs for installers: energy per day (site or one charger) over a range, and power across one day.
import { useMemo, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { get, query, type ChargePoint } from '../api';
import { Chart, palette } from '../chart';
import { Field, formatEnergy, formatNumber, Loading, Select, Table, useLoad } from '../components';
import { t } from '../i18n';

interface DailyStats {
  timeZone: string;
  days: Array<{ date: string; energyWh: number; transactions: number; chargePoints: Array<{ id: string; energyWh: number; transactions: number }> }>;
}

interface PowerStats {
  timeZone: string;
  site: Array<[number, number]>;
  chargePoints: Array<{ id: string; points: Array<[number, number]> }>;
}

function isoDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function shiftDay(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number);
  return isoDay(new Date(year, month - 1, date + days));
}

function DailyEnergy({ chargePoint }: { chargePoint: string }) {
  const today = isoDay(new Date());
  const [from, setFrom] = useState(shiftDay(today, -13));
  const [to, setTo] = useState(today);
  const path = `/stats/daily${query({ from, to, chargePoint })}`;
  const stats = useLoad(() => get<DailyStats>(path), path);
  const chart = useMemo(() => {
    const days = stats.data?.days ?? [];
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      scales: { x: { time: false } },
      axes: [
        { values: (_, ticks) => ticks.map((tick) => days[tick]?.date.slice(5) ?? '') },
        { values: (_, ticks) => ticks.map((tick) => `${formatNumber(tick)} kWh`), size: 70 },
      ],
      series: [{}, { label: t('energy'), fill: `${palette[0]}99`, stroke: palette[0], paths: uPlot.paths.bars!({ size: [0.7, 60] }), points: { show: false } }],
      legend: { show: false },
    };
    const data: uPlot.AlignedData = [days.map((_, index) => index), days.map((day) => day.energyWh / 1000)];
    return { options, data };
  }, [stats.data]);
  return (
    <section class="card">
      <h2>{t('energyPerDay')}</h2>
      <div class="filters">
        <Field label={t('fromDay')} type="date" value={from} onInput={(value) => value && setFrom(value)} />
        <Field label={t('toDay')} type="date" value={to} onInput={(value) => value && setTo(value)} />
      </div>
      <Loading loaded={stats}>
        {(data) => (
          <>
            <p class="summary" data-total-energy>
              {t('total')}: {formatEnergy(data.days.reduce((sum, day) => sum + day.energyWh, 0))},{' '}
              {t('transactionCount')}: {data.days.reduce((sum, day) => sum + day.transactions, 0)} ({data.timeZone})
            </p>
            <Chart options={chart.options} data={chart.data} label={t('energyPerDay')} />
            <details>
              <summary>{t('table')}</summary>
              <Table caption={t('energyPerDay')}>
                <thead><tr><th>{t('date')}</th><th>{t('energy')}</th><th>{t('transactions')}</th><th>{t('chargePoints')}</th></tr></thead>
                <tbody>
                  {data.days.map((day) => (
                    <tr key={day.date}>
                      <td>{day.date}</td>
                      <td>{formatEnergy(day.energyWh)}</td>
                      <td>{day.transactions}</td>
                      <td>{day.chargePoints.map((entry) => `${entry.id}: ${formatEnergy(entry.energyWh)}`).join(', ') || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </details>
          </>
        )}
      </Loading>
    </section>
  );
}

function PowerOfDay({ chargePoint }: { chargePoint: string }) {
  const [day, setDay] = useState(isoDay(new Date()));
  const path = `/stats/power${query({ date: day, chargePoint })}`;
  const stats = useLoad(() => get<PowerStats>(path), path);
  const chart = useMemo(() => {
    const data = stats.data;
    const lines = data ? [{ id: t('site'), points: data.site }, ...data.chargePoints] : [];
    // uPlot wants one x array: the union of all timestamps, with gaps where a line has no sample.
    const times = [...new Set(lines.flatMap((line) => line.points.map(([at]) => at)))].sort((a, b) => a - b);
    const index = new Map(times.map((at, i) => [at, i]));
    const columns = lines.map((line) => {
      const column: Array<number | null> = new Array(times.length).fill(null);
      for (const [at, watts] of line.points) column[index.get(at)!] = watts / 1000;
      return column;
    });
    const [year, month, date] = day.split('-').map(Number);
    const dayStart = new Date(year, month - 1, date).getTime() / 1000;
    const dayEnd = new Date(year, month - 1, date + 1).getTime() / 1000;
    const options: Omit<uPlot.Options, 'width' | 'height'> = {
      // The whole day from midnight to midnight, and power from zero, so that days compare at a glance.
      scales: { x: { range: () => [dayStart, dayEnd] }, y: { range: (_, __, max) => [0, max > 0 ? max * 1.1 : 1] } },
      series: [{}, ...lines.map((line, i) => ({ label: line.id, stroke: palette[i % palette.length], width: i === 0 ? 2 : 1, spanGaps: true }))],
      axes: [{}, { values: (_, ticks) => ticks.map((tick) => `${formatNumber(tick)} kW`), size: 70 }],
    };
    const peak = data?.site.reduce((max, [, watts]) => Math.max(max, watts), 0) ?? 0;
    return { options, data: [times.map((at) => at / 1000), ...columns] as uPlot.AlignedData, peak, samples: times.length };
  }, [stats.data, day]);
  return (
    <section class="card">
      <h2>{t('powerOfDay')}</h2>
      <div class="filters">
        <button type="button" onClick={() => setDay(shiftDay(day, -1))}>← {t('previousDay')}</button>
        <Field label={t('date')} type="date" value={day} onInput={(value) => value && setDay(value)} />
        <button type="button" onClick={() => setDay(shiftDay(day, 1))}>{t('nextDay')} →</button>
      </div>
      <Loading loaded={stats}>
        {(data) => (
          <>
            <p class="summary" data-power-samples={chart.samples}>
              {chart.samples ? `${t('peak')}: ${formatNumber(chart.peak / 1000, 2)} kW, ${chart.samples} ${t('samples')}` : t('noData')} ({data.timeZone})
            </p>
            <Chart options={chart.options} data={chart.data} label={t('powerOfDay')} />
          </>
        )}
      </Loading>
    </section>
  );
}

export function Graphs() {
  const [chargePoint, setChargePoint] = useState('');
  const list = useLoad(() => get<{ chargePoints: ChargePoint[] }>('/charge-points'), 'charge-points');
  const options: Array<[string, string]> = [['', t('wholeSite')], ...(list.data?.chargePoints ?? []).map((cp): [string, string] => [cp.id, cp.id])];
  return (
    <>
      <h1>{t('graphs')}</h1>
      <Select label={t('scope')} value={chargePoint} options={options} onChange={setChargePoint} />
      <DailyEnergy chargePoint={chargePoint} />
      <PowerOfDay chargePoint={chargePoint} />
    </>
  );
}
