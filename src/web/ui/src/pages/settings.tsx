// The configuration file for administrators (GET/PUT /api/v1/config) as forms per section, with the raw JSON as the
// last one. Secrets show as "********", which keeps them when saved. The server validates the whole file as at
// start-up: its reasons appear next to the fields they name, and it says when a change waits for a restart.
import { useState } from 'preact/hooks';
import { ApiError, get, request } from '../api';
import { Loading, Outcome, useAction, useLoad } from '../components';
import { t, type TextKey } from '../i18n';
import { BalancingSettings } from './settingsbalancing';
import { CsmsSettings } from './settingscsms';
import {
  BoolSetting, ChoiceSetting, DraftContext, FormSection, JsonEditor, NumberSetting, PhaseSetting, TextSetting, withDefault,
  withValue, type Json, type JsonObject,
} from './settingsfields';
import { MeterSettings } from './settingsmeter';

interface ConfigAnswer {
  config: JsonObject;
  restartRequired: boolean;
}

type Section = 'site' | 'groups' | 'meter' | 'csms' | 'security' | 'raw';

const sections: Array<[Section, TextKey]> = [
  ['site', 'siteLimits'], ['groups', 'groupsAndPriorities'], ['meter', 'meter'], ['csms', 'csmsSettings'],
  ['security', 'securityWeb'], ['raw', 'rawJson'],
];

// The section whose form shows the key `path`, so that a refused save opens it.
function sectionOf(path: string): Section {
  if (/^site\.groups|^chargePoints\[\d+\]\.balancing/.test(path)) return 'groups';
  if (path.startsWith('site.')) return 'site';
  if (path.startsWith('meter')) return 'meter';
  if (/^csms|^mode|^chargePoints\[\d+\]\.csms/.test(path)) return 'csms';
  if (/^web\.|^ocpp\./.test(path)) return 'security';
  return 'raw';
}

function SiteLimits() {
  return (
    <>
      <FormSection title={t('siteLimits')}>
        <PhaseSetting path="site.phaseLimitA" label={t('phaseLimitA')} placeholder="32" />
        <NumberSetting path="site.powerLimitKw" label={t('powerLimitKw')} />
        <NumberSetting path="site.safetyMarginA" label={t('safetyMarginA')} placeholder="2" />
        <NumberSetting path="site.failSafeLimitA" label={t('failSafeLimitA')} placeholder="16" />
        <NumberSetting path="site.voltage" label={t('voltageSetting')} placeholder="230" />
        <NumberSetting path="site.rotationIntervalMinutes" label={t('rotationIntervalMinutes')} placeholder="15" />
      </FormSection>
      <FormSection title={t('controlSettings')}>
        <NumberSetting path="site.control.hysteresisA" label={t('hysteresisA')} placeholder="1" />
        <NumberSetting path="site.control.hysteresisW" label={t('hysteresisW')} placeholder="500" />
        <NumberSetting path="site.control.increaseDelaySeconds" label={t('increaseDelaySeconds')} placeholder="20" />
        <NumberSetting path="site.control.rampStepA" label={t('rampStepA')} placeholder="4" />
        <NumberSetting path="site.control.failSafeAfterSeconds" label={t('failSafeAfterSeconds')} placeholder="900" />
        <NumberSetting path="site.control.profileId" label={t('profileId')} placeholder="90210" />
        <NumberSetting path="site.control.stackLevel" label={t('stackLevel')} placeholder="8" />
      </FormSection>
    </>
  );
}

function SecurityWeb() {
  return (
    <>
      <FormSection title={t('webServer')}>
        <TextSetting path="web.listenAddress" label={t('listenAddress')} placeholder="0.0.0.0" />
        <NumberSetting path="web.port" label={t('port')} placeholder="8443" />
        <BoolSetting path="web.https" label={t('https')} fallback />
        <TextSetting path="web.certificateFile" label={t('certificateFile')} />
        <TextSetting path="web.keyFile" label={t('keyFile')} />
      </FormSection>
      <FormSection title={t('ocppServer')}>
        <TextSetting path="ocpp.listenAddress" label={t('listenAddress')} placeholder="127.0.0.1" />
        <NumberSetting path="ocpp.port" label={t('port')} placeholder="8180" />
        <TextSetting path="ocpp.pathPrefix" label={t('pathPrefix')} placeholder="/ocpp" />
        <ChoiceSetting path="ocpp.unknownChargePoints" label={t('unknownChargePoints')}
          options={withDefault('accept', ['accept', 'pending', 'reject'])} />
        <BoolSetting path="ocpp.requireBasicAuth" label={t('requireBasicAuth')} fallback={false} />
        <BoolSetting path="ocpp.strict" label={t('strictValidation')} fallback={false} />
      </FormSection>
      <p class="muted">{t('usersElsewhere')} <a href="#/users">{t('users')}</a></p>
    </>
  );
}

function SettingsForm({ initial }: { initial: JsonObject }) {
  const [config, setConfig] = useState<JsonObject>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [section, setSection] = useState<Section>('site');
  const [rawValid, setRawValid] = useState(true);
  const action = useAction();
  const set = (path: string, value: Json | undefined) => setConfig((previous) => withValue(previous, path, value));
  // Shows the server's reasons next to their fields and opens the section of the first one.
  const showRefusal = (error: unknown) => {
    const byField: Record<string, string> = {};
    for (const problem of error instanceof ApiError ? error.fields : []) byField[problem.field] = problem.reason;
    if (error instanceof ApiError && error.field && !byField[error.field]) byField[error.field] = error.message;
    setErrors(byField);
    const first = Object.keys(byField)[0];
    if (first && section !== 'raw') setSection(sectionOf(first));
  };
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      if (!rawValid) throw new Error(t('fixJsonFirst'));
      try {
        const answer = await request<ConfigAnswer>('PUT', '/config', config);
        setConfig(answer.config);
        setErrors({});
        return answer.restartRequired ? t('savedRestart') : t('saved');
      } catch (error) {
        showRefusal(error);
        throw error;
      }
    });
  };
  const refusals = Object.entries(errors);
  return (
    <DraftContext.Provider value={{ config, set, errors }}>
      <form onSubmit={save} aria-label={t('settings')}>
        <div class="tabs">
          {sections.map(([id, label]) => (
            <button type="button" key={id} aria-pressed={section === id} onClick={() => setSection(id)}>{t(label)}</button>
          ))}
        </div>
        <p class="muted">{t('configHelp')}</p>
        {section === 'site' && <SiteLimits />}
        {section === 'groups' && <BalancingSettings />}
        {section === 'meter' && <MeterSettings onRefused={showRefusal} />}
        {section === 'csms' && <CsmsSettings />}
        {section === 'security' && <SecurityWeb />}
        {section === 'raw' && (
          <section class="card">
            <JsonEditor label={t('configFile')} value={config} onChange={setConfig} onValidity={setRawValid} />
          </section>
        )}
        <div class="save-bar">
          <button type="submit" disabled={action.busy}>{t('save')}</button>
          <Outcome error={action.error} done={action.done} />
          {refusals.length > 0 && (
            <ul class="error" data-refusals>
              {refusals.map(([field, reason]) => <li key={field}>{field}: {reason}</li>)}
            </ul>
          )}
        </div>
      </form>
    </DraftContext.Provider>
  );
}

export function Settings() {
  const loaded = useLoad(() => get<ConfigAnswer>('/config'), 'config');
  return (
    <>
      <h1>{t('settings')}</h1>
      <Loading loaded={loaded}>{(answer) => <SettingsForm initial={answer.config} />}</Loading>
    </>
  );
}
