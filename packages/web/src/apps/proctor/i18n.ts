// Strings of the proctor console (namespace 'proctor'), Chinese first.
import i18n from '../../i18n/index.ts';

const zh = {
  console: '监考台',
  help: '求助',
  allSessions: '全部场次',
  session: '场次',
  live: '实时连接中',
  offline: '实时连接中断，正在重连；列表每 15 秒刷新一次',
  empty: '暂无考生求助',
  choose: '从左侧选择一位考生，查看求助并回复。',
  noRoom: '未分配考场',
  reply: '回复',
  replyPlaceholder: '输入回复内容，Enter 发送，Shift+Enter 换行',
  send: '发送',
  canned: '快捷回复',
  cannedReplies: ['请继续作答，不要离开摄像头范围。', '已收到，技术人员马上联系您。', '请刷新页面后重试。', '请保持网络畅通，系统会自动续传录像。'],
  you: '我',
  candidate: '考生',
  unanswered: '待回复',
  ticket: '准考证号 {{ticket}}',
};

const en: typeof zh = {
  console: 'Proctor console',
  help: 'Help requests',
  allSessions: 'All sessions',
  session: 'Session',
  live: 'Live',
  offline: 'Live connection lost, reconnecting; the list refreshes every 15 s',
  empty: 'No help requests yet',
  choose: 'Choose a candidate on the left to read and answer their help request.',
  noRoom: 'No room',
  reply: 'Reply',
  replyPlaceholder: 'Type a reply. Enter sends, Shift+Enter adds a line',
  send: 'Send',
  canned: 'Quick replies',
  // Quick replies are always sent in Chinese (the candidates' language); these are only their tooltips.
  cannedReplies: ['Please keep answering and stay in view of the camera.', 'Received. Technical support will contact you shortly.', 'Please reload the page and try again.', 'Please keep your network on; the recording resumes uploading automatically.'],
  you: 'Me',
  candidate: 'Candidate',
  unanswered: 'Unanswered',
  ticket: 'Ticket {{ticket}}',
};

i18n.addResourceBundle('zh-CN', 'proctor', zh, true, true);
i18n.addResourceBundle('en', 'proctor', en, true, true);
