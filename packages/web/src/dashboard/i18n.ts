// Strings of the live session dashboard (实时看板), shared by the admin session page and the support console
// ('dashboard' namespace).
import i18n from '../i18n/index.ts';

const zh = {
  title: '实时看板',
  stage: {
    'not-logged-in': '未登录',
    'logged-in': '已登录',
    'face-passed': '人脸通过',
    'proof-bound': '佐证已绑定',
    entered: '已进入',
    waiting: '待考',
    answering: '答题中',
    ended: '已结束',
    uploaded: '已上传',
    'proof-uploaded': '佐证已上传',
    'proof-overdue': '佐证逾期',
  },
  total: '考生 {{count}} 名',
  live: '实时更新',
  offline: '连接中断，恢复后自动更新',
  chart: '各环节人数随时间变化',
  upload: '全场上传进度',
  recordings: '已校验视频 {{verified}} / 应有 {{expected}}',
  bytes: '已接收 {{size}}',
  listTitle: '{{stage}}：{{count}} 名考生',
  col: { ticket: '准考证号', name: '姓名', since: '到达时间' },
  clickHint: '点击人数查看考生名单',
};
const en: typeof zh = {
  title: 'Live dashboard',
  stage: {
    'not-logged-in': 'Not logged in',
    'logged-in': 'Logged in',
    'face-passed': 'Face passed',
    'proof-bound': 'Proof phone bound',
    entered: 'Entered',
    waiting: 'Waiting',
    answering: 'Answering',
    ended: 'Ended',
    uploaded: 'Uploaded',
    'proof-uploaded': 'Proof uploaded',
    'proof-overdue': 'Proof overdue',
  },
  total: '{{count}} candidates',
  live: 'Live',
  offline: 'Connection lost — updates resume on reconnect',
  chart: 'Candidates at each step over time',
  upload: 'Upload of the whole session',
  recordings: 'Recordings verified {{verified}} / expected {{expected}}',
  bytes: '{{size}} received',
  listTitle: '{{stage}}: {{count}} candidates',
  col: { ticket: 'Ticket', name: 'Name', since: 'Since' },
  clickHint: 'Click a count to list those candidates',
};

i18n.addResourceBundle('zh-CN', 'dashboard', zh, true, true);
i18n.addResourceBundle('en', 'dashboard', en, true, true);
