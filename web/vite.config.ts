import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run dev:web` forwards API calls (a running `keel serve`). */
const api = process.env['KEEL_API_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig(({ command }) => ({
  root,
  // A build is always a production build, even when the caller's NODE_ENV is `test` (vitest).
  ...(command === 'build' ? { define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    proxy: {
      '/v1': { target: api, changeOrigin: false },
      '/healthz': { target: api },
      '/docs': { target: api },
    },
  },
}));
