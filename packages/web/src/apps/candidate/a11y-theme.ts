// Colours for the candidate's and the phone's screens that meet WCAG 2.2 AA contrast (4.5:1 for text): antd's
// default secondary/description greys (45 % black ≈ 3.9:1 on white) and its warning text (#faad14 ≈ 1.9:1)
// do not. Staff apps keep their theme; only the two pages a nervous candidate reads are changed.
import type { CSSProperties } from 'react';
import type { ThemeConfig } from 'antd';

export const ACCESSIBLE_THEME: ThemeConfig = {
  token: {
    colorTextSecondary: '#595959', // 7.0:1 on white
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
    colorTextQuaternary: '#6b6b6b', // 5.3:1
    colorTextPlaceholder: '#6b6b6b',
    colorTextDisabled: '#6b6b6b',
    // Seeds of the status palettes: their text use (danger buttons, status tags) must be readable too.
    colorError: '#cf1322', // 5.9:1
    colorInfo: '#1557b0', // the primary blue: 6.6:1 (antd's #1677ff on its light tag background is not enough)
    colorWarning: '#ad4e00', // 5.9:1
    colorWarningText: '#ad4e00',
    colorSuccessText: '#237804',
    colorErrorText: '#a8071a',
  },
};

/**
 * antd's green status tag (#52c41a text on #f6ffed) is ≈ 2:1, and darkening the success seed also darkens the
 * tag's background; the few green tags a candidate reads ("● 录制中", "上传成功") get readable colours instead.
 */
export const SUCCESS_TAG: CSSProperties = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' };
// antd's warning tag puts #ad4e00 on light orange (4.3:1, axe: serious); this dark orange reads 7.6:1 there.
export const WARNING_TAG: CSSProperties = { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' };
/** The tag style for a colour name where antd's own falls short of 4.5:1. */
export const tagStyle = (color: string): CSSProperties | undefined => (color === 'success' ? SUCCESS_TAG : color === 'warning' ? WARNING_TAG : undefined);
