// Strings of the admin's monitor-rules tab (namespace 'monitorRules', issue #19), Chinese first.
import i18n from '../../i18n/index.ts';

const zh = {
  tab: '监控规则',
  intro: '考试中考生电脑摄像头的自动监控规则。考后修改规则时，系统依据已保存的逐秒原始分数重新计算本场每位考生的监控事件和审查优先级；旧事件保留并标记为“已被取代”，修改记入审计日志。',
  custom: '本场自定义规则（{{time}}）',
  defaults: '使用默认规则',
  condition: '情形',
  on: '启用',
  threshold: '阈值',
  holdSec: '持续（秒）',
  tell: '提示考生',
  preview: '预览',
  apply: '应用',
  applyConfirm: '按新规则重新计算本场所有考生的监控事件和审查优先级？旧事件将被标记为已取代（保留备查）。',
  applied: '已应用：取代 {{superseded}} 条事件，新产生 {{raised}} 条。',
  previewTitle: '按新规则，本场将产生 {{proposed}} 条监控事件（当前 {{current}} 条；{{attempts}} 名考生，{{samples}} 个样本）',
  current: '当前',
  proposed: '新规则',
  hints: {
    'face-absent': '画面中无人脸（阈值不用）',
    'several-faces': '人脸数 ≥ 阈值',
    'identity-mismatch': '与本人照片相似度 < 阈值',
    'face-covered': '面部遮挡比例 ≥ 阈值（0–1）',
    'camera-covered': '画面对比度 < 阈值（0–255）',
    'camera-frozen': '帧间变化 < 阈值（0–255）',
    'looking-away': '头部转角 > 阈值（度）',
    'phone-in-view': '手机检测分数 ≥ 阈值（0–1）',
  },
};

const en: typeof zh = {
  tab: 'Monitor rules',
  intro:
    'Rules of the automatic monitor on the candidate’s desktop camera. When you change them after the exam, every candidate’s monitor events and review priority in this session are recomputed from the stored per-second scores; the old events are kept, marked superseded, and the change is audited.',
  custom: 'Rules of this session ({{time}})',
  defaults: 'Default rules',
  condition: 'Condition',
  on: 'On',
  threshold: 'Threshold',
  holdSec: 'Hold (s)',
  tell: 'Tell the candidate',
  preview: 'Preview',
  apply: 'Apply',
  applyConfirm: 'Recompute every candidate’s monitor events and review priority in this session under these rules? The old events are marked superseded (kept).',
  applied: 'Applied: {{superseded}} events superseded, {{raised}} raised.',
  previewTitle: 'These rules would give {{proposed}} monitor events in this session (now {{current}}; {{attempts}} candidates, {{samples}} samples)',
  current: 'Now',
  proposed: 'New rules',
  hints: {
    'face-absent': 'No face in view (threshold unused)',
    'several-faces': 'Faces ≥ threshold',
    'identity-mismatch': 'Similarity to the registered photo < threshold',
    'face-covered': 'Face covered ≥ threshold (0–1)',
    'camera-covered': 'Picture contrast < threshold (0–255)',
    'camera-frozen': 'Change between frames < threshold (0–255)',
    'looking-away': 'Head turned > threshold (degrees)',
    'phone-in-view': 'Phone score ≥ threshold (0–1)',
  },
};

i18n.addResourceBundle('zh-CN', 'monitorRules', zh, true, true);
i18n.addResourceBundle('en', 'monitorRules', en, true, true);
