import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The CSP is also sent as a header by the preview server so that no request can leave the origin.
const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { outDir: process.env.E2E_OUT ?? 'dist', target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 4000 },
  preview: { headers: { 'Content-Security-Policy': csp } },
  server: { headers: { 'Content-Security-Policy': csp } },
});
