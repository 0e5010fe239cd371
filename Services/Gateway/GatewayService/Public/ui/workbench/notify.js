// New-session and new-message notifications: a short tone (Web Audio, no sound file) and a counter in
// the tab title until the page is looked at again.

let audio = null;
let pending = 0;
let baseTitle = document.title;

// Browsers allow audio only after a gesture: create the context on the first one.
function unlock() {
  if (audio) return;
  try {
    audio = new AudioContext();
  } catch {
    audio = null;
  }
}
window.addEventListener('pointerdown', unlock, { once: true, capture: true });
window.addEventListener('keydown', unlock, { once: true, capture: true });

/** Sets the title shown when nothing is pending. */
export function setBaseTitle(title) {
  baseTitle = title;
  if (!pending) document.title = title;
}

/** Plays the tone and, when the page is not in view, counts the notice in the title. */
export function notify(title) {
  if (audio && audio.state === 'running') {
    const now = audio.currentTime;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.setValueAtTime(880, now);
    osc.frequency.setValueAtTime(1320, now + 0.12);
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.2, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start(now);
    osc.stop(now + 0.32);
  }
  if (document.hidden || !document.hasFocus()) {
    pending += 1;
    document.title = `(${pending}) ${title} - ${baseTitle}`;
  }
  document.body.dataset.notified = String(Number(document.body.dataset.notified || 0) + 1);
}

function reset() {
  if (!document.hidden) {
    pending = 0;
    document.title = baseTitle;
  }
}
document.addEventListener('visibilitychange', reset);
window.addEventListener('focus', reset);
