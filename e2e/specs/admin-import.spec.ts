// The administrator's path through the real UI: log in, create a session (seeing the server refuse a bad
// timeline first), import 200 candidates from an .xlsx, then upload a broken .xlsx and get a row-by-row
// report with nothing imported. Screenshots at 1366×768 go to e2e/screenshots/admin-*.png.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { ROOT } from '../helpers/server.ts';
import { sharedStaffPage } from '../helpers/staff-page.ts';
import { candidatesXlsx, validCandidates, withBadCheckDigit } from '../fixtures/candidates-xlsx.ts';
import { animationsDone } from '../helpers/waits.ts';

const SHOTS = path.join(ROOT, 'e2e/screenshots');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const pad = (n: number) => String(n).padStart(2, '0');
/** The console's date-time format, in the browser's (= this machine's) time zone. */
const fmt = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;

const s = sharedStaffPage({ startsIn: 3600, duration: 1500, candidates: 2 });

const shot = (name: string) => s.page.screenshot({ path: path.join(SHOTS, `admin-${name}.png`) });
const candidateTotal = () => s.page.getByTestId('candidate-total');

const importDialog = () => s.page.getByRole('dialog', { name: '导入考生' });

async function closeImportDialog() {
  await importDialog()
    .getByRole('button', { name: /确\s*定/ })
    .click();
  await expect(importDialog()).toBeHidden();
}

async function chooseXlsx(name: string, buffer: Buffer) {
  await importDialog().locator('input[type=file]').setInputFiles({ name, mimeType: XLSX, buffer });
}

test('admin logs in, creates a session and imports candidates from Excel', async () => {
  await test.step('login: a wrong password shows the server message, the right one opens the console', async () => {
    await s.page.goto(`${s.server.baseUrl}/admin`);
    await expect(s.page).toHaveURL(/\/admin\/login$/);
    await s.page.getByLabel('用户名').fill(s.demo.admin.username);
    await s.page.getByLabel('密码').fill('wrong-password');
    await s.page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(s.page.getByRole('alert')).toContainText('用户名或密码错误');
    await expect(s.page.getByRole('button', { name: /登\s*录/ })).toBeEnabled();
    await animationsDone(s.page); // antd's colour transition has ended: the screenshot shows the real state
    await shot('login');
    await s.page.getByLabel('密码').fill(s.demo.admin.password);
    await s.page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(s.page.getByRole('menuitem', { name: '考试项目' })).toBeVisible();
  });

  await test.step('session form: a bad timeline is refused by the server and shown on the field', async () => {
    await s.page.getByRole('link', { name: '2026年度公开招聘线上面试（演示）' }).first().click();
    await expect(s.page.getByRole('cell', { name: '第一场' })).toBeVisible();
    await s.page.getByRole('button', { name: '新建场次' }).click();
    await s.page.getByLabel('场次名称').fill('第二场（导入测试）');
    await s.page.locator('label.ant-radio-button-wrapper', { hasText: '集中试测' }).click();
    const start = new Date();
    start.setDate(start.getDate() + 1);
    start.setHours(9, 0, 0, 0);
    await s.page.locator('#startsAt').fill(fmt(start));
    await s.page.locator('#startsAt').press('Enter');
    // Entry and login times follow the start time until set by hand.
    await expect(s.page.getByLabel('【进入考试】激活时间')).toHaveValue(fmt(new Date(start.getTime() - 15 * 60_000)));
    await s.page.getByLabel('答题时长（分钟）').fill('25');
    await s.page.locator('label.ant-radio-button-wrapper', { hasText: '开考后 N 分钟截止' }).click();
    await s.page.getByLabel('开考后（分钟）').fill('30');
    await shot('session-form');
    await s.page.getByRole('button', { name: '保存场次' }).click();
    await expect(s.page.getByRole('alert').first()).toContainText('开考后截止的分钟数必须小于答题时长');
    await s.page.getByLabel('开考后（分钟）').fill('3');
    await s.page.getByRole('button', { name: '保存场次' }).click();
    await expect(s.page.getByRole('tab', { name: '考生' })).toBeVisible();
  });

  await test.step('import 200 candidates from .xlsx', async () => {
    await s.page.getByRole('tab', { name: '考生' }).click();
    await expect(candidateTotal()).toHaveText('共 0 名考生');
    await s.page.getByRole('button', { name: '导入考生' }).click();
    await chooseXlsx('考生名单.xlsx', await candidatesXlsx(validCandidates(200)));
    await expect(s.page.getByRole('status').filter({ hasText: '成功导入 200 名考生' })).toBeVisible();
    await closeImportDialog();
    await expect(candidateTotal()).toHaveText('共 200 名考生');
    await expect(s.page.locator('.ant-table-tbody tr.ant-table-row')).toHaveCount(20);
    await expect(s.page.locator('.ant-pagination-item-10')).toBeVisible();
    await shot('candidates');
  });

  await test.step('search is done by the server', async () => {
    const someone = validCandidates(200)[137]!;
    await s.page.getByPlaceholder('搜索姓名、身份证号或准考证号').fill(someone.ticket);
    await s.page.getByPlaceholder('搜索姓名、身份证号或准考证号').press('Enter');
    await expect(candidateTotal()).toHaveText('共 1 名考生');
    await expect(s.page.getByRole('cell', { name: someone.idNumber })).toBeVisible();
    await s.page.getByPlaceholder('搜索姓名、身份证号或准考证号').fill('');
    await s.page.getByPlaceholder('搜索姓名、身份证号或准考证号').press('Enter');
    await expect(candidateTotal()).toHaveText('共 200 名考生');
  });

  await test.step('a broken .xlsx gets a row report and imports nothing', async () => {
    const rows = validCandidates(10, 500);
    rows[1]!.idNumber = withBadCheckDigit(rows[1]!.idNumber); // sheet row 3
    rows[3]!.idNumber = rows[0]!.idNumber; // sheet row 5 repeats row 2
    rows[5]!.ticket = ''; // sheet row 7
    await s.page.getByRole('button', { name: '导入考生' }).click();
    await chooseXlsx('考生名单-有错误.xlsx', await candidatesXlsx(rows));
    const report = s.page.getByTestId('import-errors');
    await expect(s.page.getByRole('alert').filter({ hasText: '未导入任何考生' })).toBeVisible();
    await expect(report).toBeVisible();
    const row = (n: number, column: string) => report.locator('tr', { has: s.page.getByRole('cell', { name: String(n), exact: true }) }).filter({ hasText: column });
    await expect(row(3, '身份证号')).toContainText('校验位不正确');
    await expect(row(5, '身份证号')).toContainText('与文件第 2 行重复');
    await expect(row(7, '准考证号')).toContainText('不能为空');
    await shot('import-errors');
    await closeImportDialog();
    await expect(candidateTotal()).toHaveText('共 200 名考生');
  });

  await test.step('the session list shows the count', async () => {
    await s.page.locator('.ant-breadcrumb a').nth(1).click();
    await s.page.mouse.move(0, 700);
    const row = s.page.locator('tr', { hasText: '第二场（导入测试）' });
    await expect(row).toContainText('集中试测');
    await expect(row.locator('td').nth(4)).toHaveText('200');
    await shot('sessions');
  });
});
