// Work the server does on the side — assembling recordings (ffmpeg children), verifying faces (worker threads) —
// runs below the priority of the event loop that acknowledges segments and relays proctor events. When ingest
// needs the cores it gets them; the side work uses what is left, and uses all of it when ingest is quiet.
import os from 'node:os';

export const BACKGROUND_NICE = 10;

/** The niceness side work gets: the server's own plus BACKGROUND_NICE, at most 19. */
export function backgroundNice(): number {
  return Math.min(19, os.getPriority() + BACKGROUND_NICE);
}

/**
 * Lowers a child process's priority to `backgroundNice()`. False where that is not allowed (some containers):
 * it then runs at the server's priority.
 */
export function lowerPriority(pid: number): boolean {
  try {
    os.setPriority(pid, backgroundNice());
    return true;
  } catch {
    return false;
  }
}
