import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { Field } from '../../components/field.tsx';
import type { Route } from '../../routing/hash-route.ts';
import { navigate } from '../../routing/use-hash-route.ts';
import { errorForField, errorOutsideFields } from '../../stores/action-error.ts';

/**
 * A locked station (a steward's terminal) shows only the check-in screen: the shell hides its
 * navigation and any other address leads back to check-in. Until the host has answered, the
 * navigation stays hidden too, so a reload never flashes it on a locked terminal.
 */
export function useStationLock(route: Route): boolean {
  const { station } = useServices();
  const phase = useStore(station, (state) => state.phase);
  const locked = useStore(station, (state) => state.status?.locked ?? false);
  useEffect(() => {
    if (station.getState().phase === 'idle') void station.getState().load();
  }, [station]);
  const hidden = locked || phase === 'idle' || phase === 'loading';
  useEffect(() => {
    if (locked && route.screen !== 'checkin') navigate({ screen: 'checkin' });
  }, [locked, route.screen]);
  return hidden;
}

export function PinInput({ id, describedBy, invalid, value, onChange, autoFocus }: { id: string; describedBy: string | undefined; invalid: boolean; value: string; onChange(value: string): void; autoFocus?: boolean }): ReactElement {
  return (
    <input
      id={id}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      pattern="[0-9]*"
      maxLength={12}
      className="pin-input"
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      value={value}
      autoFocus={autoFocus}
      onChange={(event) => onChange(event.target.value.replace(/\D/g, ''))}
    />
  );
}

/** The supervisor unlocks the station with the PIN; the host counts wrong PINs and may block entry a while. */
export function UnlockDialog({ onClose }: { onClose(): void }): ReactElement {
  const { station } = useServices();
  const error = useStore(station, (state) => state.error);
  const pending = useStore(station, (state) => state.pending);
  const status = useStore(station, (state) => state.status);
  const [pin, setPin] = useState('');
  useEffect(() => () => station.getState().clearError(), [station]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const unlocked = await station.getState().unlock(pin);
    setPin('');
    if (unlocked) onClose();
  };
  return (
    <Dialog title="Unlock station" onClose={onClose}>
      <form aria-label="Unlock station" onSubmit={(event) => void submit(event)}>
        <Field label="Supervisor PIN" error={error ? error.message : undefined} hint={status && status.failedAttempts > 0 ? `${status.failedAttempts} wrong PIN${status.failedAttempts === 1 ? '' : 's'} so far` : 'Unlocking shows every screen on this terminal again'}>
          {(ids) => <PinInput {...ids} value={pin} onChange={setPin} autoFocus />}
        </Field>
        <div className="form-actions">
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary-button" disabled={pending || pin.length < 4}>
            Unlock
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Locks the station; the first time, the supervisor chooses the PIN that will unlock it. */
export function LockDialog({ onClose }: { onClose(): void }): ReactElement {
  const { station } = useServices();
  const error = useStore(station, (state) => state.error);
  const pending = useStore(station, (state) => state.pending);
  const pinSet = useStore(station, (state) => state.status?.pinSet ?? false);
  const [changing, setChanging] = useState(false);
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [current, setCurrent] = useState('');
  const [mismatch, setMismatch] = useState(false);
  useEffect(() => () => station.getState().clearError(), [station]);
  const choosing = !pinSet || changing;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (choosing) {
      if (pin !== repeat) {
        setMismatch(true);
        return;
      }
      setMismatch(false);
      const saved = await station.getState().setPin(pin, pinSet ? current : null);
      if (!saved) return;
    }
    if (await station.getState().lock()) onClose();
  };
  const fields = ['pin', 'currentPin'];
  return (
    <Dialog title="Lock station" onClose={onClose}>
      <form aria-label="Lock station" onSubmit={(event) => void submit(event)}>
        <p className="muted">A locked station shows only the check-in screen. A supervisor PIN unlocks it.</p>
        {choosing && pinSet ? (
          <Field label="Current PIN" error={errorForField(error ?? undefined, 'currentPin')}>
            {(ids) => <PinInput {...ids} value={current} onChange={setCurrent} autoFocus />}
          </Field>
        ) : null}
        {choosing ? (
          <>
            <Field label={pinSet ? 'New supervisor PIN' : 'Supervisor PIN'} hint="4 to 12 digits" error={errorForField(error ?? undefined, 'pin')}>
              {(ids) => <PinInput {...ids} value={pin} onChange={setPin} autoFocus={!pinSet} />}
            </Field>
            <Field label="Repeat the PIN" error={mismatch ? 'The two PINs differ' : undefined}>
              {(ids) => <PinInput {...ids} value={repeat} onChange={setRepeat} />}
            </Field>
          </>
        ) : (
          <button type="button" className="link-button" onClick={() => setChanging(true)}>
            Change the supervisor PIN first
          </button>
        )}
        {errorOutsideFields(error ?? undefined, fields) ? (
          <p className="inline-error" role="alert">
            {errorOutsideFields(error ?? undefined, fields)}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary-button" disabled={pending || (choosing && (pin.length < 4 || repeat.length < 4))} autoFocus={!choosing}>
            {choosing ? 'Save PIN and lock' : 'Lock station'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
