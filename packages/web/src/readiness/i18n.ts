// Strings of 试测情况 (readiness), shared by the admin session page and the support console ('readiness' namespace).
import { CENTRAL_STEP_LABELS, PRACTICE_PROBLEM_LABELS } from '@invigil/contracts';
import i18n from '../i18n/index.ts';

// Problem and step names come from contracts, where the export words them too.
const words = <K extends string>(labels: Record<K, { 'zh-CN': string; en: string }>, lang: 'zh-CN' | 'en') =>
  Object.fromEntries(Object.entries<{ 'zh-CN': string; en: string }>(labels).map(([k, v]) => [k, v[lang]])) as Record<K, string>;

const zh = {
  title: '试测情况',
  filter: { all: '全部', 'not-done': '未完成试测', failed: '试测失败' },
  exportXlsx: '导出 Excel',
  exportCsv: '导出 CSV',
  col: {
    candidate: '考生',
    started: '自助试测次数',
    succeeded: '成功次数',
    problems: '最近一次问题',
    device: '最近设备检测',
    proof: '佐证端',
    central: '集中试测',
  },
  yes: '已使用',
  no: '未使用',
  attended: '已参加',
  absent: '未参加',
  none: '—',
  device: { browser: '浏览器', camera: '摄像头', microphone: '麦克风', screen: '屏幕', network: '网速', storage: '存储' },
  steps: words(CENTRAL_STEP_LABELS, 'zh-CN'),
  problem: words(PRACTICE_PROBLEM_LABELS, 'zh-CN'),
  noMock: '本项目没有自助试测或集中试测场次。',
};
const en: typeof zh = {
  title: 'Readiness (mock tests)',
  filter: { all: 'All', 'not-done': 'Self-test not done', failed: 'Self-test failed' },
  exportXlsx: 'Export Excel',
  exportCsv: 'Export CSV',
  col: {
    candidate: 'Candidate',
    started: 'Self-tests',
    succeeded: 'Succeeded',
    problems: 'Last problems',
    device: 'Last device check',
    proof: 'Proof camera',
    central: 'Central rehearsal',
  },
  yes: 'used',
  no: 'not used',
  attended: 'attended',
  absent: 'absent',
  none: '—',
  device: { browser: 'Browser', camera: 'Camera', microphone: 'Mic', screen: 'Screen', network: 'Network', storage: 'Storage' },
  steps: words(CENTRAL_STEP_LABELS, 'en'),
  problem: words(PRACTICE_PROBLEM_LABELS, 'en'),
  noMock: 'This exam has no self-test or central rehearsal session.',
};
i18n.addResourceBundle('zh-CN', 'readiness', zh, true, true);
i18n.addResourceBundle('en', 'readiness', en, true, true);
