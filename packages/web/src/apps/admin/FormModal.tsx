// A modal with a form, used for every "new / edit" dialog in the console. It keeps the dialog open and shows
// the server's message when saving fails, so the administrator can correct the value and retry.
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Form, Modal, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';

interface Props<V> {
  title: string;
  /** null = closed; an object = open with these initial values. */
  values: Partial<V> | null;
  onClose: () => void;
  onSave: (v: V) => Promise<unknown>;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
  width?: number;
}

export default function FormModal<V extends object>({ title, values, onClose, onSave, children, width }: Props<V>) {
  const { t } = useTranslation('admin');
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!values) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue(values as never);
  }, [values, form]);

  async function submit(v: V) {
    setBusy(true);
    setError(null);
    try {
      await onSave(v);
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={title}
      open={!!values}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('translation:common.save')}
      cancelText={t('translation:common.cancel')}
      confirmLoading={busy}
      width={width}
      forceRender
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form form={form} layout="vertical" onFinish={submit} disabled={busy}>
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}
