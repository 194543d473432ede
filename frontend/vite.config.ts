/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The binary embeds `dist/` (or the directory given by AUTHNODE_UI_OUT) and serves it at `/`.
// `npm run dev` proxies the API to a locally running `authnode serve`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: process.env.AUTHNODE_UI_OUT ?? 'dist',
    emptyOutDir: true,
    // No inline scripts or styles in the output: the server's CSP forbids them.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
