import type { VerdictTone } from '../../stores/checkin-store.ts';

/**
 * Gate staff often look at the queue, not the screen: each verdict kind has its own sound, made
 * with Web Audio oscillators (no audio files to ship). Admit: two short rising beeps; warning: two
 * level beeps; reject: one long low buzz. Browsers start audio only after a user gesture; the first
 * keypress or scan in the page is one.
 */

interface Note {
  frequency: number;
  start: number;
  duration: number;
  wave: OscillatorType;
}

const sounds: Partial<Record<VerdictTone, Note[]>> = {
  admit: [
    { frequency: 880, start: 0, duration: 0.09, wave: 'sine' },
    { frequency: 1320, start: 0.11, duration: 0.12, wave: 'sine' },
  ],
  warn: [
    { frequency: 740, start: 0, duration: 0.12, wave: 'triangle' },
    { frequency: 740, start: 0.18, duration: 0.12, wave: 'triangle' },
  ],
  reject: [{ frequency: 196, start: 0, duration: 0.55, wave: 'square' }],
  error: [{ frequency: 196, start: 0, duration: 0.55, wave: 'square' }],
};

let context: AudioContext | null = null;

export function playVerdictSound(tone: VerdictTone): void {
  const notes = sounds[tone];
  if (!notes || typeof AudioContext === 'undefined') return;
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const at = context.currentTime;
    for (const note of notes) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = note.wave;
      oscillator.frequency.value = note.frequency;
      // Short ramps avoid the click of a square edge starting or stopping at full volume.
      gain.gain.setValueAtTime(0.0001, at + note.start);
      gain.gain.exponentialRampToValueAtTime(note.wave === 'square' ? 0.12 : 0.3, at + note.start + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + note.start + note.duration);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at + note.start);
      oscillator.stop(at + note.start + note.duration + 0.02);
    }
  } catch {
    // No audio device: the colours still tell.
  }
}
