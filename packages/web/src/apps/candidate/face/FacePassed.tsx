// Identity established (by face or by support): say so, then go on by itself after a few seconds — a candidate
// holding an ID card up to the camera may not be at the mouse when support approves.
import { useEffect, useRef, useState } from 'react';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';

const AUTO_NEXT_SEC = 4;

export function FacePassed({ via, onNext }: { via: 'face' | 'manual' | null; onNext: () => void }) {
  const { t } = useTranslation('face');
  const [left, setLeft] = useState(AUTO_NEXT_SEC);
  const next = useRef(onNext);
  next.current = onNext;
  useEffect(() => {
    const id = setInterval(() => setLeft((s) => s - 1), 1000);
    return () => clearInterval(id);
  }, []);
  useEffect(() => {
    if (left <= 0) next.current();
  }, [left]);
  return (
    <Result
      status="success"
      title={t('passed.title')}
      subTitle={`${via === 'manual' ? t('passed.viaManual') : t('passed.viaFace')} ${t('passed.auto', { s: Math.max(0, left) })}`}
      extra={
        <Button type="primary" size="large" onClick={() => next.current()} data-testid="face-next">
          {t('passed.next')}
        </Button>
      }
      data-testid="face-passed"
      data-via={via ?? ''}
    />
  );
}
