// Settings: the circuits (site.groups) and how the balancer treats each charge point (chargePoints[].balancing).
import { t } from '../i18n';
import {
  BoolSetting, ChoiceSetting, ListSetting, NumberSetting, PhaseSetting, TextSetting, useDraft, valueAt, withDefault,
  type JsonObject,
} from './settingsfields';

const asObjects = (value: unknown): JsonObject[] => (Array.isArray(value) ? (value as JsonObject[]) : []);

function groupOptions(groups: JsonObject[], except?: unknown): Array<[string, string]> {
  return [['', t('noGroup')], ...groups.filter((group) => group.id !== except && typeof group.id === 'string')
    .map((group): [string, string] => [String(group.id), String(group.id)])];
}

// The keys that belong to one kind of charger only; changing the kind drops those of the others.
const kindKeys = ['minCurrentA', 'maxCurrentA', 'minPowerKw', 'maxPowerKw', 'onePhaseFallback', 'phaseRotation'];

function Groups() {
  const draft = useDraft();
  const groups = asObjects(valueAt(draft.config, 'site.groups'));
  const remove = (index: number) => draft.set('site.groups', groups.filter((_, i) => i !== index));
  return (
    <section class="card">
      <h2>{t('groups')}</h2>
      {groups.length === 0 && <p class="muted">{t('noGroups')}</p>}
      {groups.map((group, index) => (
        <div class="form-grid row" key={index} data-group={String(group.id ?? '')}>
          <TextSetting path={`site.groups[${index}].id`} label={t('groupId')} />
          <ChoiceSetting path={`site.groups[${index}].parent`} label={t('parentGroup')}
            options={groupOptions(groups, group.id)} />
          <PhaseSetting path={`site.groups[${index}].phaseLimitA`} label={t('phaseLimitA')} />
          <NumberSetting path={`site.groups[${index}].powerLimitKw`} label={t('powerLimitKw')} />
          <div><button type="button" class="danger" onClick={() => remove(index)}>{t('removeGroup')}</button></div>
        </div>
      ))}
      <button type="button" onClick={() => draft.set('site.groups', [...groups, { id: `group-${groups.length + 1}`, phaseLimitA: 32 }])}>
        {t('addGroup')}
      </button>
    </section>
  );
}

function ChargerBalancing({ index }: { index: number }) {
  const draft = useDraft();
  const base = `chargePoints[${index}].balancing`;
  const kind = String(valueAt(draft.config, `${base}.kind`) ?? 'ac3');
  const changeKind = (chosen: string) => {
    for (const key of kindKeys) draft.set(`${base}.${key}`, undefined);
    draft.set(`${base}.kind`, chosen === '' ? undefined : chosen);
  };
  const groups = asObjects(valueAt(draft.config, 'site.groups'));
  return (
    <div class="form-grid row" data-balancing={String(valueAt(draft.config, `chargePoints[${index}].id`))}>
      <h3>{String(valueAt(draft.config, `chargePoints[${index}].id`))}</h3>
      <BoolSetting path={`${base}.enabled`} label={t('balancingEnabled')} fallback={false} />
      <ChoiceSetting path={`${base}.group`} label={t('group')} options={groupOptions(groups)} />
      <NumberSetting path={`${base}.priority`} label={t('priority')} placeholder="0" />
      <ChoiceSetting path={`${base}.kind`} label={t('chargerKind')} options={withDefault('ac3', ['ac3', 'ac1', 'dc'])}
        onChange={changeKind} />
      {kind === 'dc' ? (
        <>
          <NumberSetting path={`${base}.minPowerKw`} label={t('minPowerKw')} />
          <NumberSetting path={`${base}.maxPowerKw`} label={t('maxPowerKw')} />
        </>
      ) : (
        <>
          <NumberSetting path={`${base}.minCurrentA`} label={t('minCurrentA')} placeholder="6" />
          <NumberSetting path={`${base}.maxCurrentA`} label={t('maxCurrentA')} placeholder="32" />
          <ListSetting path={`${base}.phaseRotation`} label={t('phaseRotation')} placeholder="L1, L2, L3" />
        </>
      )}
      {kind === 'ac3' && <BoolSetting path={`${base}.onePhaseFallback`} label={t('onePhaseFallback')} fallback={false} />}
    </div>
  );
}

export function BalancingSettings() {
  const draft = useDraft();
  const chargePoints = asObjects(valueAt(draft.config, 'chargePoints'));
  return (
    <>
      <Groups />
      <section class="card">
        <h2>{t('chargerBalancing')}</h2>
        {chargePoints.length === 0 && <p class="muted">{t('noConfiguredChargers')}</p>}
        {chargePoints.map((_, index) => <ChargerBalancing index={index} key={index} />)}
      </section>
    </>
  );
}
