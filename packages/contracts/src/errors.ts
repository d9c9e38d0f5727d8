// One registry of error codes: the HTTP status and the message in each language.
// Programs read `code`; people read `message` in the language they asked for.
export type Lang = 'zh-CN' | 'en';

interface ErrorDef {
  status: number;
  'zh-CN': string;
  en: string;
}

export const errorCodes = {
  VALIDATION_FAILED: { status: 400, 'zh-CN': '提交的内容不正确：{detail}', en: 'The request is not valid: {detail}' },
  UNAUTHENTICATED: { status: 401, 'zh-CN': '请先登录。', en: 'Please log in first.' },
  FORBIDDEN: { status: 403, 'zh-CN': '您没有权限进行此操作。', en: 'You are not allowed to do this.' },
  NOT_FOUND: { status: 404, 'zh-CN': '找不到该内容。', en: 'Not found.' },
  CONFLICT: { status: 409, 'zh-CN': '操作冲突：{detail}', en: 'Conflict: {detail}' },
  RATE_LIMITED: { status: 429, 'zh-CN': '尝试次数过多，请稍后再试。', en: 'Too many attempts. Please try again later.' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    'zh-CN': '服务暂时不可用，请稍候，系统会自动重试；已录制的视频保存在本机，不会丢失。',
    en: 'The service is briefly unavailable; it will be retried by itself. Your recording is kept on this computer.',
  },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，请稍后重试或联系技术支持。', en: 'Internal server error. Please retry or contact support.' },

  LOGIN_FAILED: { status: 401, 'zh-CN': '用户名或密码错误。', en: 'Wrong username or password.' },
  // One answer for a wrong ID/ticket pair, a login not open yet and an ended session: it must not reveal that a
  // pair exists (issue #13). Opening times are public: GET /api/public/schedule.
  LOGIN_REFUSED: { status: 401, 'zh-CN': '考生信息有误，或当前不在登录时间内。', en: 'The candidate details are wrong, or login is not open at this time.' },
  ALREADY_LOGGED_IN_ELSEWHERE: {
    status: 409,
    'zh-CN': '您已在另一台设备或浏览器上登录。每名考生只允许单端登录；如原设备已关闭，请等待 {seconds} 秒后重试。',
    en: 'You are already logged in on another device or browser. Only one login is allowed; if that device is closed, retry in {seconds} s.',
  },

  DOCUMENTS_NOT_READ: { status: 409, 'zh-CN': '请先阅读全部考试附件并点击【已阅】。', en: 'Please read every document and click 【已阅】 first.' },
  ENTRY_NOT_OPEN: { status: 409, 'zh-CN': '【进入考试】按钮尚未激活，激活时间：{at}。', en: 'Entry is not open yet. It opens at {at}.' },
  ENTRY_CLOSED: { status: 409, 'zh-CN': '已超过进入考试的截止时间（{at}），系统不再允许进入本场考试。', en: 'The entry cut-off ({at}) has passed; you can no longer enter this session.' },
  SECOND_MONITOR: { status: 409, 'zh-CN': '检测到多个显示器。请断开扩展屏幕，只保留一个显示器后点击【刷新】。', en: 'More than one monitor detected. Disconnect the extra screen and click 【刷新】.' },
  ATTEMPT_ENDED: { status: 409, 'zh-CN': '您的考试已结束。', en: 'Your exam has ended.' },
  SCREEN_NOT_WHOLE: { status: 409, 'zh-CN': '请选择共享“整个屏幕”，不要只共享某个窗口或标签页。', en: 'Please share your entire screen, not a window or a tab.' },
  STEP_REQUIRED: { status: 409, 'zh-CN': '请先完成“{step}”环节。', en: 'Please complete the step "{step}" first.' },
  NOT_ENTERED: { status: 409, 'zh-CN': '请先点击【进入考试】。', en: 'Please click 【进入考试】 first.' },
  QUESTION_NOT_RELEASED: { status: 403, 'zh-CN': '试题将在考试开始时自动显示。', en: 'The question is shown automatically when the exam starts.' },

  IMPORT_INVALID: { status: 422, 'zh-CN': '导入文件有错误，未导入任何考生。', en: 'The file has errors; no candidate was imported.' },
  IMPORT_UNREADABLE: { status: 422, 'zh-CN': '无法读取该文件，请上传 .xlsx 或 .csv 文件。', en: 'The file cannot be read. Upload an .xlsx or .csv file.' },
  DUPLICATE_ID_NUMBER: { status: 409, 'zh-CN': '身份证号 {idNumber} 已存在。', en: 'ID-card number {idNumber} already exists.' },
  USERNAME_TAKEN: { status: 409, 'zh-CN': '用户名 {username} 已被使用。', en: 'Username {username} is taken.' },
  TIMELINE_INVALID: { status: 400, 'zh-CN': '场次时间设置不合理：{detail}', en: 'The session timeline is not valid: {detail}' },

  SEGMENT_HASH_MISMATCH: { status: 422, 'zh-CN': '上传的片段校验失败，将自动重新上传。', en: 'The uploaded segment failed verification; it will be re-sent.' },
  SEGMENT_CONFLICT: { status: 409, 'zh-CN': '该片段已存在且内容不同。', en: 'This segment already exists with different content.' },
  RECORDING_INCOMPLETE: { status: 409, 'zh-CN': '录像尚有片段未上传：{detail}', en: 'Segments are still missing: {detail}' },
  RECORDING_FINALIZED: { status: 409, 'zh-CN': '该录像已完成校验，不能再修改。', en: 'This recording is already verified and closed.' },
  RECORDING_ASSEMBLY_FAILED: {
    status: 422,
    'zh-CN': '录像合成失败，视频仍保留在服务器上，请联系技术支持。',
    en: 'The recording could not be assembled; its segments are kept on the server. Please contact support.',
  },
  STORAGE_FULL: { status: 507, 'zh-CN': '服务器存储空间不足，视频已保存在本机，稍后将自动重试上传。', en: 'Server storage is full. Your video is kept on this computer and will be re-sent later.' },
  FACE_NOT_REGISTERED: {
    status: 409,
    'zh-CN': '您的报名照片尚未登记，无法进行人脸验证。请点击【请求人工核验】。',
    en: 'No registered photo is on file for you, so face verification is not possible. Please request manual verification.',
  },
  FACE_CONSENT_REQUIRED: { status: 409, 'zh-CN': '请先阅读并同意人脸信息处理告知，或选择【请求人工核验】。', en: 'Please read and accept the face data notice first, or request manual verification.' },
  FACE_TRIES_EXHAUSTED: {
    status: 429,
    'zh-CN': '人脸验证次数已用完（共 {limit} 次）。请点击【请求人工核验】，由技术支持人员核验身份。',
    en: 'You have used all {limit} face verification tries. Please request manual verification by support staff.',
  },
  FACE_QUEUE_TICKET_UNKNOWN: { status: 404, 'zh-CN': '排队核验已失效，请重新进行人脸验证。', en: 'Your place in the verification queue has expired. Please verify your face again.' },
  FACE_ALREADY_PASSED: { status: 409, 'zh-CN': '您已通过身份核验。', en: 'Your identity is already verified.' },
  FACE_MANUAL_DECIDED: { status: 409, 'zh-CN': '该人工核验请求已被处理。', en: 'This manual verification request has already been decided.' },
  FACE_NOT_VERIFIED: { status: 409, 'zh-CN': '请先完成人脸验证，或等待技术支持人员人工核验通过。', en: 'Please complete face verification first, or wait for support staff to verify you manually.' },
  FACE_PHOTO_EXISTS: {
    status: 409,
    'zh-CN': '该考生已有报名照片。技术支持只能补传缺失的照片，更换照片请联系管理员。',
    en: 'This candidate already has a registered photo. Support can only add a missing photo; ask an administrator to replace it.',
  },
  FACE_ZIP_UNREADABLE: {
    status: 422,
    'zh-CN': '无法读取照片压缩包，请上传 .zip 文件（内含以身份证号命名的 .jpg 照片）。',
    en: 'The photo archive cannot be read. Upload a .zip of <ID-card number>.jpg photos.',
  },
  BIND_CODE_INVALID: { status: 404, 'zh-CN': '绑定码不正确。请核对电脑屏幕上的绑定码后重新输入。', en: 'This bind code is not valid. Check the code on the computer screen and type it again.' },
  BIND_CODE_EXPIRED: {
    status: 410,
    'zh-CN': '绑定码已过期。请在电脑上刷新二维码，重新扫码或输入新的绑定码。',
    en: 'This bind code has expired. Refresh the QR code on the computer, then scan it again or type the new code.',
  },
  BIND_CODE_USED: {
    status: 409,
    'zh-CN': '该绑定码已被使用，每个绑定码只能使用一次。请在电脑上获取新的绑定码。',
    en: 'This bind code has already been used; each code works once. Get a new code on the computer.',
  },
  PROOF_SAME_BROWSER: {
    status: 409,
    'zh-CN': '请用手机扫描二维码，不要在考试电脑的浏览器中绑定佐证设备。',
    en: 'Scan the QR code with your phone; do not bind the proof camera in the exam computer’s browser.',
  },

  PRACTICE_ONLY: { status: 409, 'zh-CN': '只有自助试测可以重复进行。', en: 'Only a self-test can be repeated.' },
  PRACTICE_IN_PROGRESS: { status: 409, 'zh-CN': '本次试测尚未结束，请先完成本次试测。', en: 'This practice attempt has not ended yet; finish it first.' },
  PRACTICE_WINDOW_CLOSED: { status: 409, 'zh-CN': '自助试测时间已结束，不能再开始新的试测。', en: 'The self-test window has closed; no new practice can start.' },
  EXTRA_TIME_TOO_LATE: { status: 409, 'zh-CN': '本场考试已开始，不能再修改延时。', en: 'The session has started; extra time can no longer be changed.' },
  // Hostile or broken input (issue #13): each refusal has its own code so clients and logs can tell them apart.
  UNKNOWN_EVENT: { status: 400, 'zh-CN': '不支持的实时消息。', en: 'This realtime message is not supported.' },
  PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '提交的内容过大。', en: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型。', en: 'This content type is not supported.' },
  ORIGIN_REFUSED: { status: 403, 'zh-CN': '请求来源不受信任，请从考试系统页面操作。', en: 'The request does not come from this site; please use the exam pages.' },
  EVENTS_QUOTA: { status: 429, 'zh-CN': '上报的事件过多，请稍后再试。', en: 'Too many events were reported; please retry later.' },
  UPLOAD_QUOTA: { status: 413, 'zh-CN': '本场考试的上传量已超过上限，请联系技术支持。', en: 'This attempt has reached its upload limit. Please contact support.' },
  SEGMENT_INVALID: { status: 422, 'zh-CN': '上传的片段不是有效的视频数据。', en: 'The uploaded segment is not valid video data.' },
  STREAM_FORBIDDEN: { status: 403, 'zh-CN': '此设备不能上传该路录像。', en: 'This device may not upload this stream.' },
  RECORDING_NOT_FINISHED: { status: 409, 'zh-CN': '考试进行中，只有录制该路视频的设备可以结束上传。', en: 'While the exam runs, only the recording device may finalize this stream.' },
  START_MOVE_REFUSED: {
    status: 409,
    'zh-CN': '本场已有试题，不能把开始时间改到过去（这会提前泄露试题）。',
    en: 'This session has a question; its start cannot be moved into the past (that would reveal the question early).',
  },
  LOCKED_OUT: { status: 429, 'zh-CN': '登录失败次数过多，账号暂时锁定，请 {seconds} 秒后再试。', en: 'Too many failed logins; this account is locked for {seconds} s.' },
  RUBRIC_MISSING: { status: 409, 'zh-CN': '本场次尚未设置评分标准，请联系管理员。', en: 'No rubric has been set for this session yet. Please contact the administrator.' },
  RUBRIC_IN_USE: { status: 409, 'zh-CN': '已有考官提交评分，不能再修改评分要素。', en: 'Examiners have already submitted scores; the criteria can no longer be changed.' },
  SCORE_OVER_MAX: { status: 400, 'zh-CN': '“{criterion}”的分数不能超过 {max} 分，也不能为负数。', en: '"{criterion}" must be between 0 and {max} points.' },
  SCORE_OFF_STEP: { status: 400, 'zh-CN': '“{criterion}”的分数须为 {step} 的整数倍。', en: '"{criterion}" must be a multiple of {step}.' },
  SCORE_MISSING_CRITERION: { status: 400, 'zh-CN': '请为“{criterion}”打分后再提交。', en: 'Please score "{criterion}" before submitting.' },
  SCORE_UNKNOWN_CRITERION: { status: 400, 'zh-CN': '评分要素不存在，请刷新页面后重试。', en: 'Unknown criterion. Please reload the page and retry.' },
  SCORE_LOCKED: { status: 409, 'zh-CN': '您的评分已提交并锁定，如需修改请联系管理员解锁。', en: 'Your score is submitted and locked. Ask an administrator to unlock it.' },
  SCORE_NOT_SUBMITTED: { status: 409, 'zh-CN': '该评分尚未提交，无需解锁。', en: 'This score is not submitted; there is nothing to unlock.' },
  RESULTS_PUBLISHED: { status: 409, 'zh-CN': '本场次成绩已发布并锁定，不能再修改。', en: 'The results of this session are published and locked.' },
  RECORDING_NOT_READY: { status: 409, 'zh-CN': '录像尚未合成完毕，请稍后再试。', en: 'The recording is not assembled yet. Please try again later.' },
} as const satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Fill `{name}` placeholders; unknown names stay visible so a missing value is noticed, not hidden. */
export function errorMessage(code: ErrorCode, lang: Lang, params: Record<string, string | number> = {}): string {
  const template: string = errorCodes[code][lang];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Pick zh-CN unless the caller clearly prefers English (Accept-Language or ?lang=en). */
export function pickLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
