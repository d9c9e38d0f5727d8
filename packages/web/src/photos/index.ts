export { PhotoUploadButton } from './PhotoUploadButton.tsx';
export { ImportPhotosDialog } from './ImportPhotosDialog.tsx';
