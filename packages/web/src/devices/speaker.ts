// Speaker test: a short two-note chime the candidate confirms hearing. Generated, so no audio file to ship.
export async function playTestTone(seconds = 1.5): Promise<void> {
  const ctx = new AudioContext();
  await ctx.resume();
  const gain = ctx.createGain();
  gain.gain.value = 0.2;
  gain.connect(ctx.destination);
  for (const [i, freq] of [523.25, 659.25].entries()) {
    const osc = ctx.createOscillator();
    osc.frequency.value = freq;
    osc.connect(gain);
    const t = ctx.currentTime + (i * seconds) / 2;
    osc.start(t);
    osc.stop(t + seconds / 2);
  }
  await new Promise((r) => setTimeout(r, seconds * 1000 + 100));
  await ctx.close();
}
