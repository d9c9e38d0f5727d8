// Strings of the synchronized player (namespace 'playback'), Chinese first.
import i18n from '../i18n/index.ts';

const zh = {
  play: '播放',
  pause: '暂停',
  back: '后退 5 秒',
  forward: '前进 5 秒',
  speed: '倍速',
  gap: '录像中断 {{seconds}} 秒',
  before: '该路录像尚未开始（{{seconds}} 秒后开始）',
  after: '该路录像已结束',
  none: '无录像',
  notReady: '录像合成中，请稍后刷新',
  keys: '快捷键：空格 播放/暂停，← / → 后退/前进 5 秒，[ / ] 调整倍速',
  jump: '跳转到 {{time}}',
};
const en: typeof zh = {
  play: 'Play',
  pause: 'Pause',
  back: 'Back 5 s',
  forward: 'Forward 5 s',
  speed: 'Speed',
  gap: 'Recording interrupted for {{seconds}} s',
  before: 'This stream has not started yet (starts in {{seconds}} s)',
  after: 'This stream has ended',
  none: 'No recording',
  notReady: 'The recording is being assembled; refresh later',
  keys: 'Keys: space play/pause, ← / → 5 s back/forward, [ / ] speed',
  jump: 'Jump to {{time}}',
};

i18n.addResourceBundle('zh-CN', 'playback', zh, true, true);
i18n.addResourceBundle('en', 'playback', en, true, true);
