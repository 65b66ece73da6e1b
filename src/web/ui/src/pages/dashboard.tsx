// The site at a glance: load per phase against the grid limit, each charger's state, limits and running sessions, outages.
import { can, get, query, type BalancedCharger, type Role, type ChargePoint, type SiteStatus, type Transaction } from '../api';
import { formatEnergy, formatNumber, formatTime, Loading, useLoad, type Loaded } from '../components';
import { t } from '../i18n';
import { useLive } from '../live';
import { href } from '../route';
import { GroupLimits } from './grouplimits';

interface Overview {
  site: SiteStatus;
  chargePoints: ChargePoint[];
  active: Transaction[];
}

async function loadOverview(): Promise<Overview> {
  const [site, list, recent] = await Promise.all([
    get<SiteStatus>('/site'),
    get<{ chargePoints: ChargePoint[] }>('/charge-points'),
    get<{ transactions: Transaction[] }>(`/transactions${query({ limit: 200 })}`),
  ]);
  return { site, chargePoints: list.chargePoints, active: recent.transactions.filter((transaction) => transaction.active) };
}

function mergeTransaction(active: Transaction[], changed: Transaction): Transaction[] {
  const others = active.filter((transaction) => transaction.id !== changed.id);
  return changed.active ? [...others, changed] : others;
}

// Energy so far: from the newest register reading while the stream gives one, else what the record says.
function chargedWh(transaction: Transaction): number | null {
  if (typeof transaction.meterNowWh === 'number' && typeof transaction.meterStartWh === 'number') {
    return transaction.meterNowWh - transaction.meterStartWh;
  }
  return transaction.energyWh;
}

// Keeps a list of charge points current from the live stream's `charge-point` events.
export function mergeChargePoint(list: ChargePoint[], changed: ChargePoint): ChargePoint[] {
  const index = list.findIndex((chargePoint) => chargePoint.id === changed.id);
  if (index < 0) return [...list, changed].sort((a, b) => a.id.localeCompare(b.id));
  return list.map((chargePoint, i) => (i === index ? changed : chargePoint));
}

export function useChargePointsLive<T>(loaded: Loaded<T>, apply: (data: T, changed: ChargePoint) => T): void {
  useLive((event, data) => {
    if (event === 'charge-point') loaded.setData((previous) => previous && apply(previous, data as ChargePoint));
  }, loaded.reload);
}

function PhaseBars({ limits, load }: { limits: number[]; load: (number | null)[] | null | undefined }) {
  return (
    <div class="phases">
      {limits.map((limit, phase) => {
        // null: the meter does not measure this phase (unknown, not 0 A).
        const value = load?.[phase] ?? undefined;
        const share = value === undefined || limit <= 0 ? 0 : Math.min(100, (value / limit) * 100);
        return (
          <div class="phase" key={phase}>
            <span class="phase-name">L{phase + 1}</span>
            <div class="bar" role="meter" aria-valuemin={0} aria-valuemax={limit} aria-valuenow={value ?? 0}
              aria-label={`L${phase + 1}`}>
              <div class={share > 90 ? 'fill high' : 'fill'} style={{ width: `${share}%` }} />
            </div>
            <span class="phase-value">
              {value === undefined ? '—' : formatNumber(value)} / {formatNumber(limit, 0)} A
            </span>
          </div>
        );
      })}
    </div>
  );
}

export function limitText(chargePoint: ChargePoint): string {
  const limit = chargePoint.appliedLimit;
  return limit ? `${formatNumber(limit.limit)} ${limit.unit}` : '—';
}

function BalancingNote({ balanced }: { balanced: BalancedCharger | undefined }) {
  if (!balanced) return null;
  return (
    <>
      {balanced.targetLimit !== undefined && (
        <span>{t('balancerTarget')}: {formatNumber(balanced.targetLimit)} {balanced.unit}</span>
      )}
      {balanced.measuredDraw !== undefined && (
        <span>{t('measuredDraw')}: {formatNumber(balanced.measuredDraw)} {balanced.unit}</span>
      )}
      {balanced.overLimit && <span class="warning">{t('overLimit')}</span>}
    </>
  );
}

export function connectorSummary(chargePoint: ChargePoint): string {
  if (!chargePoint.connected) return t('disconnected');
  const connectors = chargePoint.connectors.filter((connector) => connector.connectorId > 0);
  if (!connectors.length) return t('connected');
  return connectors.map((connector) => `${connector.connectorId}: ${connector.status}`).join(', ');
}

function OutageBanner({ site }: { site: SiteStatus }) {
  if (site.mode !== 'online') return null;
  const down = site.csmsLinks.filter((link) => link.outageSince || link.backlog > 0);
  if (!down.length) return null;
  return (
    <section class="banner" role="status">
      <h2>{t('csmsOutage')}</h2>
      <ul>
        {down.map((link) => (
          <li key={link.chargePointId}>
            {link.chargePointId}: {link.state}, {t('backlog')} {link.backlog}
            {link.outageSince && ` — ${t('since')} ${formatTime(link.outageSince)}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Dashboard({ role }: { role: Role }) {
  const overview = useLoad(loadOverview, 'overview');
  useLive((event, data) => {
    overview.setData((previous) => {
      if (!previous) return previous;
      if (event === 'site') return { ...previous, site: data as SiteStatus };
      if (event === 'charge-point') return { ...previous, chargePoints: mergeChargePoint(previous.chargePoints, data as ChargePoint) };
      if (event === 'transaction') return { ...previous, active: mergeTransaction(previous.active, data as Transaction) };
      return previous;
    });
  }, overview.reload);
  return (
    <>
      <h1>{t('dashboard')}</h1>
      <Loading loaded={overview}>
        {({ site, chargePoints, active }) => (
          <>
            <OutageBanner site={site} />
            <section class="card">
              <h2>{t('siteLoad')} <span class="muted">({t(`mode_${site.mode}`)})</span></h2>
              <PhaseBars limits={site.gridLimitA} load={site.loadA} />
              {!site.loadA && <p class="muted">{t('noMeterReading')}</p>}
            </section>
            <GroupLimits groups={site.groups ?? []} mayChange={can(role, 'operator')} />
            <section>
              <h2>{t('chargePoints')}</h2>
              {chargePoints.length === 0 && <p class="muted">{t('noChargePoints')}</p>}
              <ul class="tiles">
                {chargePoints.map((chargePoint) => (
                  <li key={chargePoint.id} class={chargePoint.connected ? 'tile' : 'tile offline'}
                    data-charge-point={chargePoint.id}>
                    <a href={href('charge-points', chargePoint.id)}><strong>{chargePoint.id}</strong></a>
                    <span class="state">{connectorSummary(chargePoint)}</span>
                    <span>{t('limit')}: {limitText(chargePoint)}</span>
                    <BalancingNote balanced={site.balancing?.find((entry) => entry.chargePointId === chargePoint.id)} />
                    {active.filter((transaction) => transaction.chargePointId === chargePoint.id).map((transaction) => (
                      <span key={transaction.id} class="session">
                        {t('connector')} {transaction.connectorId}: {chargedWh(transaction) === null ? t('charging') : formatEnergy(chargedWh(transaction))} ({transaction.idTag})
                      </span>
                    ))}
                  </li>
                ))}
              </ul>
            </section>
          </>
        )}
      </Loading>
    </>
  );
}
