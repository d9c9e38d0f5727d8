// What only this browser knows about the journey: the device check was done here, and which devices were
// chosen. sessionStorage, so a reload keeps it and another browser starts over (its devices differ).
const DEVICES_KEY = 'invigil.devices';
const checkedKey = (attemptId: string) => `invigil.deviceChecked.${attemptId}`;

export function deviceChecked(attemptId: string): boolean {
  return sessionStorage.getItem(checkedKey(attemptId)) === '1';
}
export function markDeviceChecked(attemptId: string) {
  sessionStorage.setItem(checkedKey(attemptId), '1');
}

export interface ChosenDevices {
  cameraId?: string;
  micId?: string;
}
export function chosenDevices(): ChosenDevices {
  try {
    return JSON.parse(sessionStorage.getItem(DEVICES_KEY) ?? '{}') as ChosenDevices;
  } catch {
    return {};
  }
}
export function rememberDevices(d: ChosenDevices) {
  sessionStorage.setItem(DEVICES_KEY, JSON.stringify(d));
}
