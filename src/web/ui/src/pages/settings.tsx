// The configuration file for administrators (GET/PUT /api/v1/config): secrets are shown as "********", which keeps
// them when saved; LinkRay validates the whole file as at start-up and says when a change waits for a restart.
import { useState } from 'preact/hooks';
import { get, request } from '../api';
import { Loading, Outcome, useAction, useLoad } from '../components';
import { t } from '../i18n';

interface ConfigAnswer {
  config: Record<string, unknown>;
  restartRequired: boolean;
}

const asText = (config: Record<string, unknown>): string => JSON.stringify(config, null, 2);

function ConfigEditor({ initial }: { initial: Record<string, unknown> }) {
  const [text, setText] = useState(asText(initial));
  const action = useAction();
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      let config: unknown;
      try {
        config = JSON.parse(text);
      } catch {
        throw new Error(t('notJson'));
      }
      const answer = await request<ConfigAnswer>('PUT', '/config', config);
      setText(asText(answer.config));
      return answer.restartRequired ? t('savedRestart') : t('saved');
    });
  };
  return (
    <form class="card" onSubmit={save}>
      <p class="muted">{t('configHelp')}</p>
      <label>
        {t('configFile')}
        <textarea rows={24} spellcheck={false} value={text}
          onInput={(event) => setText((event.target as HTMLTextAreaElement).value)} />
      </label>
      <button type="submit" disabled={action.busy}>{t('save')}</button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

export function Settings() {
  const loaded = useLoad(() => get<ConfigAnswer>('/config'), 'config');
  return (
    <>
      <h1>{t('settings')}</h1>
      <Loading loaded={loaded}>{(answer) => <ConfigEditor initial={answer.config} />}</Loading>
    </>
  );
}
