import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const require = createRequire(import.meta.url);

/**
 * FullCalendar 6 injects its CSS from JavaScript into a <style> element, which our Content Security Policy
 * (`style-src 'self'`, src/http/app.ts) blocks. This plugin lifts the same CSS out of the packages that the
 * scheduling screen imports and serves it as `virtual:fullcalendar.css`, so it ships as a stylesheet file.
 */
function fullCalendarCss(): Plugin {
  const id = 'virtual:fullcalendar.css';
  const files = [
    ['@fullcalendar/core', 'internal-common.js'],
    ['@fullcalendar/daygrid', 'internal.js'],
    ['@fullcalendar/timegrid', 'internal.js'],
  ] as const;
  return {
    name: 'custodian-fullcalendar-css',
    resolveId: (source) => (source === id ? id : null),
    load(loaded) {
      if (loaded !== id) return null;
      return files
        .map(([pkg, file]) => {
          const source = readFileSync(path.join(path.dirname(require.resolve(pkg)), file), 'utf8');
          const m = /var css_248z = ("(?:[^"\\]|\\.)*");/.exec(source);
          if (!m) throw new Error(`no CSS found in ${pkg}/${file}: FullCalendar changed how it ships its styles`);
          return JSON.parse(m[1]!) as string;
        })
        .join('\n');
    },
  };
}

/** The web app: sources in web/, built into dist/web (served by the Fastify server with SPA fallback). */
export default defineConfig({
  root: 'web',
  plugins: [react(), fullCalendarCss()],
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
