// One entry for every app. Each app is lazy-loaded so a candidate never downloads the admin console.
import './csp.ts';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import './i18n/index.ts';

const CandidateApp = lazy(() => import('./apps/candidate/index.tsx'));
const AdminApp = lazy(() => import('./apps/admin/index.tsx'));
const ProctorApp = lazy(() => import('./apps/proctor/index.tsx'));
const PhoneApp = lazy(() => import('./apps/phone/index.tsx'));

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function Root() {
  const { i18n } = useTranslation();
  return (
    // autoInsertSpace off: antd would render the seed's two-character words as "已 阅", "确 定".
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1557b0', borderRadius: 6 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />}>
              <Routes>
                <Route path="/admin/*" element={<AdminApp />} />
                <Route path="/proctor/*" element={<ProctorApp />} />
                <Route path="/m/*" element={<PhoneApp />} />
                <Route path="/*" element={<CandidateApp />} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
