import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The web app: sources in web/, built into dist/web (served by the Fastify server with SPA fallback). */
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
});
