import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// One build for every app; the server serves dist/ and falls back to index.html for client routes.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/socket.io': { target: 'http://127.0.0.1:8080', ws: true }, '/models': 'http://127.0.0.1:8080' } },
});
