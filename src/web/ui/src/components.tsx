// Building blocks shared by the pages: data loading, errors, form fields, formatting.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { language, t } from './i18n';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
  setData: (update: (previous: T | undefined) => T | undefined) => void;
}

// Fetches when `key` changes and on reload(); keeps the last data while re-fetching so the page does not flicker.
export function useLoad<T>(fetcher: () => Promise<T>, key: string): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    fetcher().then(
      (value) => {
        if (!current) return;
        setDataState(value);
        setError(undefined);
      },
      (reason) => current && setError(reason),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const setData = useCallback((update: (previous: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, reload, setData };
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404 || error.status === 503) return t('notAvailable');
    if (error.status === 403) return t('forbidden');
    return error.field ? `${error.message} (${error.field})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function Loading<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.data === undefined) {
    return loaded.error ? <ErrorNote error={loaded.error} /> : <p class="muted">{t('loading')}</p>;
  }
  return (
    <>
      <ErrorNote error={loaded.error} />
      {children(loaded.data)}
    </>
  );
}

// What the server said about a field (a 400's `fields`), shown under it.
export function FieldError({ error }: { error?: string }) {
  return error ? <span class="field-error">{error}</span> : null;
}

interface FieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: string;
  name?: string;
  required?: boolean;
  autocomplete?: string;
  minLength?: number;
  maxLength?: number;
  placeholder?: string;
  error?: string;
}

export function Field({ label, onInput, error, ...input }: FieldProps) {
  return (
    <label class="field">
      <span>{label}</span>
      <input {...input} aria-invalid={error ? true : undefined}
        onInput={(event) => onInput((event.target as HTMLInputElement).value)} />
      <FieldError error={error} />
    </label>
  );
}

export function Checkbox({ label, checked, onChange, error }: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
}) {
  return (
    <label class="field check">
      <span>
        <input type="checkbox" checked={checked} aria-invalid={error ? true : undefined}
          onChange={(event) => onChange((event.target as HTMLInputElement).checked)} /> {label}
      </span>
      <FieldError error={error} />
    </label>
  );
}

export function Select({ label, value, options, onChange, error }: {
  label: string;
  value: string;
  options: Array<[string, string]>;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <label class="field">
      <span>{label}</span>
      <select value={value} aria-invalid={error ? true : undefined}
        onChange={(event) => onChange((event.target as HTMLSelectElement).value)}>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
      <FieldError error={error} />
    </label>
  );
}

// Runs an action from a form or button: disables it while running and shows the outcome.
export function useAction(): {
  busy: boolean;
  error: unknown;
  done: string;
  run: (action: () => Promise<string | void>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const run = async (action: () => Promise<string | void>) => {
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      setDone((await action()) ?? '');
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}

export function Outcome({ error, done }: { error: unknown; done: string }) {
  return (
    <div aria-live="polite">
      <ErrorNote error={error} />
      {done && <p class="ok">{done}</p>}
    </div>
  );
}

export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(language()) : '—';
}

export function formatEnergy(wh: number | null | undefined): string {
  if (wh === null || wh === undefined) return '—';
  return `${(wh / 1000).toLocaleString(language(), { maximumFractionDigits: 2 })} kWh`;
}

export function formatNumber(value: number, digits = 1): string {
  return value.toLocaleString(language(), { maximumFractionDigits: digits });
}

export function Table({ caption, children }: { caption: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        {children}
      </table>
    </div>
  );
}
