// Settings: online mode and the operator's CSMS (csms), with each charge point's own CSMS where it has one.
import { t } from '../i18n';
import { ChoiceSetting, FormSection, NumberSetting, TextSetting, useDraft, valueAt, withDefault } from './settingsfields';

const credentials = ['pass-through', 'configured', 'none'];

export function CsmsSettings() {
  const draft = useDraft();
  const chargePoints = valueAt(draft.config, 'chargePoints');
  const count = Array.isArray(chargePoints) ? chargePoints.length : 0;
  return (
    <>
      <FormSection title={t('csmsSettings')}>
        <ChoiceSetting path="mode" label={t('mode')} options={withDefault('offline', ['offline', 'online'])} />
        <TextSetting path="csms.url" label={t('csmsUrl')} placeholder="wss://csms.example/ocpp" />
        <ChoiceSetting path="csms.credentials" label={t('credentials')} options={withDefault('pass-through', credentials)} />
        <TextSetting path="csms.tls.caFile" label={t('caFile')} placeholder="/etc/linkray/ca.pem" />
        <TextSetting path="csms.tls.clientCertificateFile" label={t('clientCertificateFile')} />
        <TextSetting path="csms.tls.clientKeyFile" label={t('clientKeyFile')} />
        <NumberSetting path="csms.connectTimeoutSeconds" label={t('connectTimeoutSeconds')} placeholder="10" />
        <NumberSetting path="csms.answerTimeoutSeconds" label={t('answerTimeoutSeconds')} placeholder="10" />
        <NumberSetting path="csms.firstFrameWaitSeconds" label={t('firstFrameWaitSeconds')} placeholder="5" />
        <NumberSetting path="csms.reconnect.initialSeconds" label={t('reconnectInitialSeconds')} placeholder="1" />
        <NumberSetting path="csms.reconnect.maxSeconds" label={t('reconnectMaxSeconds')} placeholder="60" />
        <NumberSetting path="csms.replayAttempts" label={t('replayAttempts')} placeholder="3" />
        <NumberSetting path="csms.outboxMaxMessages" label={t('outboxMaxMessages')} placeholder="100000" />
        <NumberSetting path="csms.provisionalTransactionIdsFrom" label={t('provisionalTransactionIdsFrom')} placeholder="2000000000" />
      </FormSection>
      <section class="card">
        <h2>{t('csmsPerCharger')}</h2>
        {count === 0 && <p class="muted">{t('noConfiguredChargers')}</p>}
        {Array.from({ length: count }, (_, index) => (
          <div class="form-grid row" key={index}>
            <h3>{String(valueAt(draft.config, `chargePoints[${index}].id`))}</h3>
            <TextSetting path={`chargePoints[${index}].csms.url`} label={t('csmsUrl')} placeholder={t('asTheSite')} />
            <ChoiceSetting path={`chargePoints[${index}].csms.credentials`} label={t('credentials')}
              options={[['', `(${t('asTheSite')})`], ...credentials.map((value): [string, string] => [value, value])]} />
            <TextSetting path={`chargePoints[${index}].csms.password`} label={t('csmsPassword')} type="password" />
          </div>
        ))}
      </section>
    </>
  );
}
