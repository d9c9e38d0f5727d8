// Strings of 报名照片 (registered photos), shared by the admin's 考生 tab and the support view ('photos' namespace).
import i18n from '../i18n/index.ts';

const zh = {
  upload: '上传照片',
  replace: '更换照片',
  fixMissing: '补传照片',
  view: '查看',
  importZip: '导入照片',
  // The import dialog (upload/UploadDialog.tsx reads these by name).
  import: {
    title: '批量导入报名照片',
    hint: '上传 .zip 压缩包，内含以身份证号命名的 .jpg / .png 照片（如 110101199003071234.jpg）。每张照片单独检查：正面、仅一人、人脸足够大。未通过的照片不影响已通过的，修改后可再次导入。',
    drag: '点击选择 .zip 文件，或把文件拖到这里',
    uploading: '正在上传并检查 {{name}}…',
    again: '再导入一个压缩包',
  },
  summary: '已登记 {{accepted}} 张，未通过 {{refused}} 张。',
  file: '文件',
  idNumber: '身份证号',
  result: '结果',
  accepted: '已登记',
  accepting: '正在检查照片…',
  acceptedOne: '已登记 {{name}} 的报名照片。',
  refusedOne: '{{name}} 的照片未通过：{{reason}}',
  reason: {
    'no-face': '未检测到人脸',
    'several-faces': '照片中有多张人脸',
    'too-small': '人脸太小，请使用更清晰的正面照片',
    unreadable: '无法读取该图片',
    'unknown-candidate': '本场次没有该身份证号的考生',
    'not-an-image': '不是 JPG 或 PNG 图片',
  },
  supportHint: '技术支持只能为没有报名照片的考生补传，操作会记入审计日志。',
};
type Tree = { [k: string]: string | Tree };
const en: typeof zh = {
  upload: 'Upload photo',
  replace: 'Replace photo',
  fixMissing: 'Add missing photo',
  view: 'View',
  importZip: 'Import photos',
  // The import dialog (upload/UploadDialog.tsx reads these by name).
  import: {
    title: 'Import registered photos',
    hint: 'Upload a .zip of .jpg / .png photos named by ID-card number (e.g. 110101199003071234.jpg). Each photo is checked on its own: frontal, one person, face large enough. Refused photos do not undo accepted ones; fix them and import again.',
    drag: 'Click to choose a .zip file, or drop it here',
    uploading: 'Uploading and checking {{name}}…',
    again: 'Import another archive',
  },
  summary: '{{accepted}} registered, {{refused}} refused.',
  file: 'File',
  idNumber: 'ID number',
  result: 'Result',
  accepted: 'Registered',
  accepting: 'Checking the photo…',
  acceptedOne: 'Registered the photo of {{name}}.',
  refusedOne: 'The photo of {{name}} was refused: {{reason}}',
  reason: {
    'no-face': 'No face found',
    'several-faces': 'Several faces in the photo',
    'too-small': 'The face is too small; use a sharper frontal photo',
    unreadable: 'The image cannot be read',
    'unknown-candidate': 'No candidate of this session has this ID number',
    'not-an-image': 'Not a JPG or PNG image',
  },
  supportHint: 'Support can only add a photo for a candidate who has none; it is recorded in the audit log.',
};
i18n.addResourceBundle('zh-CN', 'photos', zh satisfies Tree, true, true);
i18n.addResourceBundle('en', 'photos', en, true, true);
