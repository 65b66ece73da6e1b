// The configuration as a draft that the settings forms edit by key path ("chargePoints[2].balancing.priority"), and
// form fields bound to one key each that show what the server said about that key when it refused a save.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { Checkbox, Field, FieldError, Select } from '../components';
import { t } from '../i18n';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

function pathParts(path: string): Array<string | number> {
  return path.split(/[.[\]]/).filter((part) => part !== '').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function valueAt(root: JsonObject, path: string): Json | undefined {
  let node: Json | undefined = root;
  for (const part of pathParts(path)) {
    if (typeof part === 'number') node = Array.isArray(node) ? node[part] : undefined;
    else node = isObject(node) ? node[part] : undefined;
  }
  return node;
}

// A copy of `node` with `value` at `parts`; undefined removes the key, and an object left empty goes with it, so that
// a cleared field means "the default" and leaves no empty section behind (an empty csms.tls would be refused).
function withValueAt(node: Json | undefined, parts: Array<string | number>, value: Json | undefined): Json | undefined {
  if (parts.length === 0) return value;
  const [head, ...rest] = parts;
  if (typeof head === 'number') {
    const copy = Array.isArray(node) ? [...node] : [];
    copy[head] = withValueAt(copy[head], rest, value) ?? {};
    return copy;
  }
  const copy: JsonObject = isObject(node) ? { ...node } : {};
  const next = withValueAt(copy[head], rest, value);
  if (next === undefined || (isObject(next) && Object.keys(next).length === 0)) delete copy[head];
  else copy[head] = next;
  return Object.keys(copy).length === 0 && rest.length > 0 ? undefined : copy;
}

export function withValue(root: JsonObject, path: string, value: Json | undefined): JsonObject {
  const result = withValueAt(root, pathParts(path), value);
  return isObject(result) ? result : {};
}

export interface Draft {
  config: JsonObject;
  set: (path: string, value: Json | undefined) => void;
  // The server's reasons by key path, from the last refused save or test read.
  errors: Record<string, string>;
}

export const DraftContext = createContext<Draft>({ config: {}, set: () => {}, errors: {} });

export const useDraft = (): Draft => useContext(DraftContext);

// One card of settings, laid out in a grid.
export function FormSection({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="card">
      <h2>{title}</h2>
      <div class="form-grid">{children}</div>
    </section>
  );
}

interface SettingProps {
  path: string;
  label: string;
  placeholder?: string;
}

export function TextSetting({ path, label, placeholder, type }: SettingProps & { type?: string }) {
  const draft = useDraft();
  const value = valueAt(draft.config, path);
  return (
    <Field label={label} type={type} placeholder={placeholder} value={value === undefined ? '' : String(value)}
      error={draft.errors[path]} onInput={(text) => draft.set(path, text === '' ? undefined : text)} />
  );
}

// A number as typed; what is not a number goes to the server as typed, which names the key and the reason.
function parseNumber(text: string): Json | undefined {
  if (text.trim() === '') return undefined;
  const number = Number(text.replace(',', '.'));
  return Number.isFinite(number) ? number : text;
}

const textOf = (value: Json | undefined): string =>
  value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);

const wordsOf = (text: string): string[] => text.split(/[\s,;]+/).filter((word) => word !== '');

// "32" for all three phases or "32, 25, 32" for L1, L2, L3 (a phase limit in docs/configuration.md).
function phaseValue(text: string): Json | undefined {
  const parts = wordsOf(text);
  if (parts.length <= 1) return parseNumber(text);
  const numbers = parts.map(parseNumber);
  return numbers.every((number) => typeof number === 'number') ? numbers : text;
}

function wordsValue(text: string): Json | undefined {
  const words = wordsOf(text);
  return words.length === 0 ? undefined : words;
}

// A field whose text is parsed into the draft. It keeps what the user types (e.g. "0." on the way to "0.5") while
// the draft holds the parsed value, and shows the draft's value when that changes otherwise (a save, a reload).
function ParsedSetting({ path, label, placeholder, parse }: SettingProps & { parse: (text: string) => Json | undefined }) {
  const draft = useDraft();
  const shown = textOf(valueAt(draft.config, path));
  const [text, setText] = useState(shown);
  useEffect(() => {
    if (textOf(parse(text)) !== shown) setText(shown);
  }, [shown]);
  return (
    <Field label={label} placeholder={placeholder} value={text} error={draft.errors[path]}
      onInput={(typed) => {
        setText(typed);
        draft.set(path, parse(typed));
      }} />
  );
}

export const NumberSetting = (props: SettingProps) => <ParsedSetting {...props} parse={parseNumber} />;

export const PhaseSetting = ({ label, ...props }: SettingProps) => (
  <ParsedSetting {...props} label={`${label} (${t('phaseLimitHint')})`} parse={phaseValue} />
);

// A list of words, e.g. a phase rotation "L2, L3, L1"; empty leaves the key out.
export const ListSetting = (props: SettingProps) => <ParsedSetting {...props} parse={wordsValue} />;

// A choice; the option '' leaves the key out (its default applies).
export function ChoiceSetting({ path, label, options, onChange }: {
  path: string;
  label: string;
  options: Array<[string, string]>;
  onChange?: (value: string) => void;
}) {
  const draft = useDraft();
  const value = valueAt(draft.config, path);
  return (
    <Select label={label} value={value === undefined || value === null ? '' : String(value)} options={options}
      error={draft.errors[path]}
      onChange={(chosen) => (onChange ? onChange(chosen) : draft.set(path, chosen === '' ? undefined : chosen))} />
  );
}

export function BoolSetting({ path, label, fallback }: { path: string; label: string; fallback: boolean }) {
  const draft = useDraft();
  const value = valueAt(draft.config, path);
  return (
    <Checkbox label={label} checked={typeof value === 'boolean' ? value : fallback} error={draft.errors[path]}
      onChange={(checked) => draft.set(path, checked)} />
  );
}

// The options of a choice whose key may be left out: "(default: …)" first.
export function withDefault(fallback: string, values: string[]): Array<[string, string]> {
  return [['', `(${t('defaultValue')}: ${fallback})`], ...values.map((value): [string, string] => [value, value])];
}

// JSON text for a whole object (the raw configuration, a custom register map): `onChange` gets every edit that parses
// to an object, `onValidity` says whether the text parses at all.
export function JsonEditor({ label, value, onChange, onValidity, rows = 24, error }: {
  label: string;
  value: Json | undefined;
  onChange: (value: JsonObject) => void;
  onValidity?: (valid: boolean) => void;
  rows?: number;
  error?: string;
}) {
  const shown = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(shown);
  const [valid, setValid] = useState(true);
  useEffect(() => {
    let same = false;
    try {
      same = JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
    } catch {
      same = false;
    }
    if (!same && valid) setText(shown);
  }, [shown]);
  const edit = (typed: string) => {
    setText(typed);
    let parsed: unknown;
    try {
      parsed = JSON.parse(typed);
    } catch {
      parsed = undefined;
    }
    const ok = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    setValid(ok);
    onValidity?.(ok);
    if (ok) onChange(parsed as JsonObject);
  };
  return (
    <label class="field json">
      <span>{label}</span>
      <textarea rows={rows} spellcheck={false} value={text} aria-invalid={!valid || error ? true : undefined}
        onInput={(event) => edit((event.target as HTMLTextAreaElement).value)} />
      <FieldError error={valid ? undefined : t('notJson')} />
      <FieldError error={error} />
    </label>
  );
}
