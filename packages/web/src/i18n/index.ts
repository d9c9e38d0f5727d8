// i18next with zh-CN as the default and English as the switch. Each app adds its own namespace
// of strings with `addResources` so the apps stay independent; shared strings live here.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('invigil.lang') : null;

void i18n.use(initReactI18next).init({
  lng: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  resources: {
    'zh-CN': {
      translation: {
        common: {
          product: 'Invigil 在线面试',
          networkError: '网络连接失败，请检查网络后重试。',
          logout: '退出登录',
          language: 'English',
          loading: '加载中…',
          save: '保存',
          cancel: '取消',
          confirm: '确定',
        },
      },
    },
    en: {
      translation: {
        common: {
          product: 'Invigil Online Interview',
          networkError: 'Network error. Check your connection and retry.',
          logout: 'Log out',
          language: '中文',
          loading: 'Loading…',
          save: 'Save',
          cancel: 'Cancel',
          confirm: 'OK',
        },
      },
    },
  },
});

// Screen readers pick their voice from <html lang>: it must follow the language saved from an earlier visit.
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export function toggleLanguage() {
  const next = i18n.language === 'en' ? 'zh-CN' : 'en';
  localStorage.setItem('invigil.lang', next);
  void i18n.changeLanguage(next);
  document.documentElement.lang = next;
}

export default i18n;
