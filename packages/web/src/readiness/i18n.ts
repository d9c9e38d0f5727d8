// Strings of 试测情况 (readiness), shared by the admin session page and the support console ('readiness' namespace).
import i18n from '../i18n/index.ts';

const zh = {
  title: '试测情况',
  filter: { all: '全部', 'not-done': '未完成试测', failed: '试测失败' },
  exportXlsx: '导出 Excel',
  exportCsv: '导出 CSV',
  col: {
    candidate: '考生', started: '自助试测次数', succeeded: '成功次数', problems: '最近一次问题', device: '最近设备检测',
    proof: '佐证端', central: '集中试测',
  },
  yes: '已使用', no: '未使用', attended: '已参加', absent: '未参加', none: '—',
  device: { browser: '浏览器', camera: '摄像头', microphone: '麦克风', screen: '屏幕', network: '网速', storage: '存储' },
  steps: { 'logged-in': '登录', entered: '进入考试', answering: '答题', ended: '结束', uploaded: '视频上传', 'proof-uploaded': '佐证上传' },
  problem: {
    'not-entered': '未进入试测', 'not-ended': '试测未结束', 'device-not-checked': '未做设备检测', camera: '摄像头异常', microphone: '麦克风异常', browser: '浏览器不支持',
    'second-monitor': '多个显示器', 'camera-stream-missing': '摄像头视频缺失', 'camera-stream-incomplete': '摄像头视频不完整', 'screen-stream-missing': '屏幕录像缺失',
    'screen-stream-incomplete': '屏幕录像不完整', 'phone-stream-missing': '佐证视频缺失', 'phone-stream-incomplete': '佐证视频不完整', uploading: '仍在上传',
  },
  noMock: '本项目没有自助试测或集中试测场次。',
};
const en: typeof zh = {
  title: 'Readiness (mock tests)',
  filter: { all: 'All', 'not-done': 'Self-test not done', failed: 'Self-test failed' },
  exportXlsx: 'Export Excel',
  exportCsv: 'Export CSV',
  col: {
    candidate: 'Candidate', started: 'Self-tests', succeeded: 'Succeeded', problems: 'Last problems', device: 'Last device check',
    proof: 'Proof camera', central: 'Central rehearsal',
  },
  yes: 'used', no: 'not used', attended: 'attended', absent: 'absent', none: '—',
  device: { browser: 'Browser', camera: 'Camera', microphone: 'Mic', screen: 'Screen', network: 'Network', storage: 'Storage' },
  steps: { 'logged-in': 'login', entered: 'entered', answering: 'answered', ended: 'ended', uploaded: 'uploaded', 'proof-uploaded': 'proof uploaded' },
  problem: {
    'not-entered': 'did not enter', 'not-ended': 'not ended', 'device-not-checked': 'no device check', camera: 'camera failed', microphone: 'microphone failed', browser: 'browser unsupported',
    'second-monitor': 'second monitor', 'camera-stream-missing': 'camera video missing', 'camera-stream-incomplete': 'camera video incomplete', 'screen-stream-missing': 'screen recording missing',
    'screen-stream-incomplete': 'screen recording incomplete', 'phone-stream-missing': 'proof video missing', 'phone-stream-incomplete': 'proof video incomplete', uploading: 'still uploading',
  },
  noMock: 'This exam has no self-test or central rehearsal session.',
};
i18n.addResourceBundle('zh-CN', 'readiness', zh, true, true);
i18n.addResourceBundle('en', 'readiness', en, true, true);
