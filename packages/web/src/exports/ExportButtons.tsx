// 导出: a session's staff exports (考勤, 上传与佐证, and for administrators 违纪) as Excel or CSV links, in the
// browser's own time zone so the times in the file match the screen. Shared by the admin overview and the support view.
import { Button, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { routes } from '@invigil/contracts';
import { urlOf } from '../api/client.ts';
import i18n from '../i18n/index.ts';

const zh = { title: '导出', attendance: '考勤', uploads: '上传与佐证', flags: '违纪记录', xlsx: 'Excel', csv: 'CSV', hint: '含考生姓名和身份证号，请妥善保管。' };
const en: typeof zh = {
  title: 'Export',
  attendance: 'Attendance',
  uploads: 'Uploads and proof videos',
  flags: 'Flags',
  xlsx: 'Excel',
  csv: 'CSV',
  hint: 'Contains names and ID numbers: keep the files safe.',
};
i18n.addResourceBundle('zh-CN', 'exports', zh, true, true);
i18n.addResourceBundle('en', 'exports', en, true, true);

type Report = 'attendance' | 'uploads' | 'flags';

export function ExportButtons({ sessionId, reports }: { sessionId: string; reports: readonly Report[] }) {
  const { t } = useTranslation('exports');
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
  const href = (report: Report, format: 'xlsx' | 'csv') =>
    report === 'flags' ? urlOf(routes.flagsExport, { params: { id: sessionId }, query: { format, tz } }) : urlOf(routes.sessionExport, { params: { id: sessionId, report }, query: { format, tz } });
  return (
    <Space orientation="vertical" size={4} data-testid="exports">
      {reports.map((r) => (
        <Space key={r} size={4}>
          <Typography.Text style={{ display: 'inline-block', minWidth: 110 }}>{t(r)}</Typography.Text>
          <Button size="small" icon={<DownloadOutlined />} href={href(r, 'xlsx')} data-testid={`export-${r}-xlsx`}>
            {t('xlsx')}
          </Button>
          <Button size="small" icon={<DownloadOutlined />} href={href(r, 'csv')} data-testid={`export-${r}-csv`}>
            {t('csv')}
          </Button>
        </Space>
      ))}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('hint')}
      </Typography.Text>
    </Space>
  );
}
