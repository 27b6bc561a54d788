import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

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
  plugins: [
    react(),
    // Offline after the first visit: every built file (Monaco and ECharts chunks, workers) is precached
    // by a generated service worker; its Workbox runtime is a local file, never a CDN.
    VitePWA({
      registerType: 'autoUpdate',
      // Registered by the page (src/ui/offline.ts) once no ingest runs: its install is CPU-heavy.
      injectRegister: false,
      manifest: {
        name: 'Causeway — node incident triage',
        short_name: 'Causeway',
        description: 'Drop a Kubernetes node\'s logs and see the causal chain. Nothing leaves the browser.',
        start_url: '.',
        display: 'standalone',
        background_color: '#f7f8fa',
        theme_color: '#2457c5',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,ttf,woff2,webmanifest}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // The first visit is controlled at once, so the app works offline without a second load.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { outDir: process.env.E2E_OUT ?? 'dist', target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 4000 },
  preview: { headers: { 'Content-Security-Policy': csp } },
  server: { headers: { 'Content-Security-Policy': csp } },
});
