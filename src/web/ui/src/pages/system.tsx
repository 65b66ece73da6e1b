// Version, uptime and storage use of the box.
import { get } from '../api';
import { formatNumber, formatTime, Loading, useLoad } from '../components';
import { t } from '../i18n';

interface SystemInfo {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  mode: string;
  storage: { databaseBytes: number; freeBytes: number };
}

function duration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return days ? `${days} d ${hours} h` : `${hours} h ${minutes} min`;
}

function megabytes(bytes: number): string {
  return `${formatNumber(bytes / 1048576, 1)} MB`;
}

export function System() {
  const info = useLoad(() => get<SystemInfo>('/system'), 'system');
  return (
    <>
      <h1>{t('system')}</h1>
      <Loading loaded={info}>
        {(system) => (
          <section class="card">
            <dl class="facts">
              <dt>{t('version')}</dt><dd data-version>{system.version}</dd>
              <dt>{t('mode')}</dt><dd>{system.mode}</dd>
              <dt>{t('started')}</dt><dd>{formatTime(system.startedAt)}</dd>
              <dt>{t('uptime')}</dt><dd>{duration(system.uptimeSeconds)}</dd>
              <dt>{t('database')}</dt><dd>{megabytes(system.storage.databaseBytes)}</dd>
              <dt>{t('freeSpace')}</dt><dd>{megabytes(system.storage.freeBytes)}</dd>
            </dl>
          </section>
        )}
      </Loading>
      <p><a href="/api/v1/openapi.json">{t('apiDocument')}</a></p>
    </>
  );
}
